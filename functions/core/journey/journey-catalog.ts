import { JourneyDefinitionError } from "./define-journey.ts";
import type { JourneyDefinition } from "./definition.ts";
import type { MessageTemplate } from "./template.ts";

/**
 * Every journey version ever deployed stays here: instances are pinned to the version they
 * started on, so removing an old version would strand customers mid-journey.
 */
/**
 * A named pure function a journey's `compute` node calls: it reads the evaluation scope (event,
 * vars, customer…) and returns values to store in the instance's vars. Registered by name so the
 * journey definition itself stays plain, serialisable data.
 */
export type Calculator = (scope: Readonly<Record<string, unknown>>) => Record<string, unknown>;

export class JourneyCatalog {
  readonly #byKey = new Map<string, Readonly<JourneyDefinition>>();
  readonly #calculators: ReadonlyMap<string, Calculator>;
  readonly #latest = new Map<string, Readonly<JourneyDefinition>>();
  readonly #templates = new Map<string, MessageTemplate>();

  constructor(
    journeys: readonly Readonly<JourneyDefinition>[],
    templates: readonly MessageTemplate[],
    calculators: Readonly<Record<string, Calculator>> = {},
  ) {
    this.#calculators = new Map(Object.entries(calculators));
    for (const template of templates) this.#templates.set(template.id, template);
    for (const journey of journeys) {
      const key = `${journey.id}@${journey.version}`;
      if (this.#byKey.has(key)) throw new JourneyDefinitionError(`${key} is defined twice`);
      this.#byKey.set(key, journey);
      const latest = this.#latest.get(journey.id);
      if (!latest || latest.version < journey.version) this.#latest.set(journey.id, journey);
      for (const node of Object.values(journey.nodes)) {
        if (node.type === "compute" && !this.#calculators.has(node.calculator)) {
          throw new JourneyDefinitionError(`${key}: calculator "${node.calculator}" is not registered`);
        }
        if (node.type !== "send") continue;
        const template = this.#templates.get(node.template);
        if (!template) throw new JourneyDefinitionError(`${key}: template "${node.template}" does not exist`);
        if (template.priority !== node.priority && !template.alsoAs?.includes(node.priority)) {
          throw new JourneyDefinitionError(
            `${key}: template "${node.template}" is ${template.priority}, the send node says ${node.priority}`,
          );
        }
      }
    }
  }

  version(id: string, version: number): Readonly<JourneyDefinition> | undefined {
    return this.#byKey.get(`${id}@${version}`);
  }

  /** The newest version of each journey: the one new instances start on. */
  latest(): Readonly<JourneyDefinition>[] {
    return [...this.#latest.values()];
  }

  calculator(name: string): Calculator | undefined {
    return this.#calculators.get(name);
  }

  template(id: string): MessageTemplate | undefined {
    return this.#templates.get(id);
  }

  templates(): MessageTemplate[] {
    return [...this.#templates.values()];
  }
}
