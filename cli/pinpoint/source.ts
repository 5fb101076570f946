/**
 * Printing plain data as TypeScript a person reads: object keys unquoted where they may be, short objects on
 * one line, refs as `ref("…")` and conditions as the helpers that build them (`eq`, `oneOf`, `all`…), whose
 * names are collected for the module's import line.
 */
import type { Condition, Value } from "../../functions/core/journey/definition.ts";

/** Source text printed as it is. */
export class Code {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** A call of a helper, printed on one line when it fits, else one argument a line. */
export class Call {
  readonly name: string;
  readonly args: readonly unknown[];
  constructor(name: string, args: readonly unknown[]) {
    this.name = name;
    this.args = args;
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const LINE = 100;

export class SourcePrinter {
  /** Helpers of `waymark` the printed code calls. */
  readonly helpers = new Set<string>();

  value(value: Value): Code {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      this.helpers.add("ref");
      const paths = Array.isArray(value.$ref) ? value.$ref : [value.$ref];
      return new Code(`ref(${paths.map((p) => JSON.stringify(p)).join(", ")})`);
    }
    return new Code(this.print(value));
  }

  condition(condition: Condition): Call {
    const call = (name: string, ...args: unknown[]) => {
      this.helpers.add(name);
      return new Call(name, args);
    };
    switch (condition.op) {
      case "all":
      case "any":
        return call(condition.op, ...condition.conditions.map((c) => this.condition(c)));
      case "not":
        return call("not", this.condition(condition.condition));
      case "exists":
        return call("exists", this.value(condition.value));
      case "in":
        return call("oneOf", this.value(condition.left), this.value(condition.right));
      default:
        return call(condition.op, this.value(condition.left), this.value(condition.right));
    }
  }

  /** Any plain data (with Code inside it) at an indentation level. */
  print(data: unknown, indent = 0): string {
    if (data instanceof Code) return data.text;
    if (data === null || typeof data !== "object") return JSON.stringify(data) ?? "undefined";
    const pad = "  ".repeat(indent + 1);
    const close = "  ".repeat(indent);
    if (data instanceof Call) {
      const args = data.args.map((arg) => this.print(arg, indent + 1));
      const flat = `${data.name}(${args.join(", ")})`;
      if (!flat.includes("\n") && flat.length + indent * 2 <= LINE - 10) return flat;
      return `${data.name}(\n${args.map((a) => `${pad}${a},`).join("\n")}\n${close})`;
    }
    if (Array.isArray(data)) {
      const items = data.map((item) => this.print(item, indent + 1));
      const flat = `[${items.join(", ")}]`;
      if (!flat.includes("\n") && flat.length + indent * 2 <= LINE) return flat;
      return `[\n${items.map((i) => `${pad}${i},`).join("\n")}\n${close}]`;
    }
    const entries = Object.entries(data as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const items = entries.map(
      ([key, v]) => `${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: ${this.print(v, indent + 1)}`,
    );
    const flat = `{ ${items.join(", ")} }`;
    if (!flat.includes("\n") && flat.length + indent * 2 <= LINE) return flat;
    return `{\n${items.map((i) => `${pad}${i},`).join("\n")}\n${close}}`;
  }
}

/** A block comment, wrapped at the line width. */
export function docComment(lines: readonly string[], indent = ""): string {
  const wrapped = lines.flatMap((line) => (line === "" ? [""] : wrap(line, LINE - indent.length - 3)));
  return `${indent}/**\n${wrapped.map((l) => `${indent} *${l ? ` ${l}` : ""}`).join("\n")}\n${indent} */`;
}

export function lineComments(lines: readonly string[], indent: string): string {
  return lines
    .flatMap((line) => wrap(line, LINE - indent.length - 3))
    .map((l) => `${indent}// ${l}`)
    .join("\n");
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
