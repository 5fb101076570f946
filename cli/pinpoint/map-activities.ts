/**
 * Pinpoint's activities as Waymark nodes. Each reachable activity becomes a node under a kebab-case id made
 * from its own (no two alike); an activity Waymark has no node for either stands aside (PUSH: participants
 * go straight on) or becomes its nearest approximation, said in the report. Activities without a next one
 * end the journey at an explicit exit.
 */
import { eq, oneOf, ref, successors } from "../../functions/core/journey/define-journey.ts";
import type { Condition, JourneyNode } from "../../functions/core/journey/definition.ts";
import { describeCondition } from "../../infra/local/console/journey-graph.ts";
import { activityTypes } from "./activity-graph.ts";
import type { ImportContext } from "./import-context.ts";
import { type Classified, classify, combine, NEVER } from "./map-conditions.ts";
import type { Activity, PinpointJourney, WaitTime } from "./model.ts";
import { camel, kebab, pascal } from "./names.ts";
import type { JourneyInput, TemplateStub } from "./plan.ts";
import { waymarkDuration, waymarkInstant } from "./times.ts";

type NodeInput = JourneyInput["nodes"][string];
type Priority = "marketing" | "service";

export interface MappedActivities {
  start: string;
  nodes: Record<string, NodeInput>;
  comments: Record<string, string[]>;
  templates: TemplateStub[];
  holdout?: { percent: number };
  /** The priorities the sends use (frequency rules count one priority each). */
  priorities: Set<Priority>;
}

const EXITS = {
  end: {
    outcome: "completed",
    comment: "The end of a path: the Pinpoint activity before it has no next one.",
  },
  incomplete: {
    outcome: "incomplete",
    comment: "DRAFT: the Pinpoint journey is incomplete here (see the report).",
  },
  "held-out": {
    outcome: "held-out",
    comment: "Held out by a Pinpoint Holdout activity: the journey ends here.",
  },
} as const;

export class ActivityMapper {
  readonly #ctx: ImportContext;
  readonly #journey: PinpointJourney;
  readonly #activities: Readonly<Record<string, Activity>>;
  readonly #reachable: readonly string[];
  readonly #start: string | undefined;
  readonly #nodes: Record<string, NodeInput> = {};
  readonly #comments: Record<string, string[]> = {};
  readonly #ids = new Map<string, string>();
  readonly #exits = new Map<keyof typeof EXITS, string>();
  readonly #templates: TemplateStub[] = [];
  readonly #messageVars = new Map<string, { varName: string; type: string }>();
  readonly #priorities = new Set<Priority>();
  #holdout: { percent: number } | undefined;
  /** Node ids by activity: the activity's own node first, then the nodes added for it. */
  readonly #groups: { own: string | undefined; ids: string[] }[] = [];
  #order: string[] = [];
  /** The tag every send carries, when the journey's caps count them (set after the sends are known). */
  #tag: string | undefined;

  constructor(
    ctx: ImportContext,
    journey: PinpointJourney,
    reachable: readonly string[],
    start: string | undefined,
  ) {
    this.#ctx = ctx;
    this.#journey = journey;
    this.#activities = journey.Activities ?? {};
    this.#reachable = reachable;
    this.#start = start;
  }

  /** The priority a message activity sends at: known before the nodes, for the caps' rules. */
  static priorityOf(activity: Activity): Priority | undefined {
    if (activity.EMAIL) return "marketing";
    if (activity.SMS)
      return activity.SMS.MessageConfig?.MessageType === "TRANSACTIONAL" ? "service" : "marketing";
    return undefined;
  }

  map(tag: string | undefined): MappedActivities {
    this.#tag = tag;
    // Ids first, in the order participants reach the activities, so they read like the journey.
    for (const id of this.#reachable)
      if (!this.#standsAside(id)) this.#ids.set(id, this.#ctx.ids.take(id, "activity"));
    this.#prepareMessageVars();
    for (const id of this.#reachable) this.#mapActivity(id);
    const start = this.#start === undefined ? this.#exit("incomplete") : this.#target(this.#start);
    this.#prune(start);
    // The journey reads from its start to its exits: each activity's node, then what was added for it.
    const exits = new Set(this.#exits.values());
    const ordered = this.#groups.flatMap(({ own, ids }) =>
      own !== undefined && ids.includes(own) ? [own, ...ids.filter((id) => id !== own)] : ids,
    );
    const nodes = Object.fromEntries(
      [...ordered.filter((id) => !exits.has(id)), ...exits]
        .filter((id) => this.#nodes[id] !== undefined)
        .map((id) => [id, this.#nodes[id]!]),
    );
    return {
      start,
      nodes,
      comments: this.#comments,
      templates: this.#templates,
      ...(this.#holdout ? { holdout: this.#holdout } : {}),
      priorities: this.#priorities,
    };
  }

  /** Activities with no node of their own: participants go on to the activity after them. */
  #standsAside(id: string): boolean {
    const activity = this.#activities[id]!;
    if (activity.PUSH) return true;
    if (activity.Holdout) {
      const p = activity.Holdout.Percentage;
      return id === this.#start || p === 0 || p === 100;
    }
    if (activity.RandomSplit) return usableBranches(activity).length < 2;
    if (activity.MultiCondition) return (activity.MultiCondition.Branches ?? []).length === 0;
    return false;
  }

  /** The node an activity starts at, through those that stand aside; no activity: the end. */
  #target(id: string | undefined): string {
    if (id === undefined) return this.#exit("end");
    const own = this.#ids.get(id);
    if (own) return own;
    const activity = this.#activities[id]!;
    if (activity.PUSH) return this.#target(activity.PUSH.NextActivity);
    if (activity.Holdout)
      return activity.Holdout.Percentage === 100 && id !== this.#start
        ? this.#exit("held-out")
        : this.#target(activity.Holdout.NextActivity);
    if (activity.RandomSplit) {
      const [only] = usableBranches(activity);
      return only ? this.#target(only.NextActivity) : this.#exit("incomplete");
    }
    if (activity.MultiCondition) return this.#target(activity.MultiCondition.DefaultActivity);
    throw new Error(`activity ${id} has no node`);
  }

  #exit(kind: keyof typeof EXITS): string {
    let id = this.#exits.get(kind);
    if (!id) {
      id = this.#ctx.ids.take(kind);
      this.#exits.set(kind, id);
      this.#nodes[id] = { type: "exit", outcome: EXITS[kind].outcome };
      this.#comments[id] = [EXITS[kind].comment];
    }
    return id;
  }

  /** Message activities whose feedback a split waits for keep their notification id in a var. */
  #prepareMessageVars(): void {
    for (const id of this.#reachable) {
      const activity = this.#activities[id]!;
      const conditions = [
        ...(activity.ConditionalSplit?.Condition?.Conditions ?? []),
        ...(activity.MultiCondition?.Branches ?? []).flatMap((b) => (b.Condition ? [b.Condition] : [])),
      ];
      for (const condition of conditions) {
        const message = condition.EventCondition?.MessageActivity;
        // A message no path from the start sends has no id to wait on: classify() reports it.
        if (message === undefined || this.#messageVars.has(message) || !this.#reachable.includes(message))
          continue;
        const type = activityTypes(this.#activities[message]!)[0]!;
        const node = this.#ids.get(message) ?? message;
        this.#messageVars.set(message, { varName: `${camel(node)}Id`, type });
      }
    }
  }

  #add(id: string, node: NodeInput, comment: string[]): void {
    this.#nodes[id] = node;
    this.#comments[id] = comment;
    this.#order.push(id);
  }

  #mapActivity(id: string): void {
    // Nodes added for an activity follow its own node, in the module as in the journey.
    this.#order = [];
    this.#groups.push({ own: this.#ids.get(id), ids: this.#order });
    const activity = this.#activities[id]!;
    const [type] = activityTypes(activity);
    const node = this.#ids.get(id);
    const path = (...segments: (string | number)[]) => this.#ctx.at("Activities", id, ...segments);
    const title = `Pinpoint activity ${id}${type ? ` (${type})` : ""}${activity.Description ? `: ${activity.Description}` : ""}`;
    switch (type) {
      case "EMAIL":
      case "SMS":
        this.#send(id, node!, type, activity, title);
        return;
      case "PUSH":
        this.#ctx.item({
          path: path(),
          pinpoint: `PUSH activity ${id}`,
          status: "not mapped",
          waymark: `— (participants go on to ${this.#target(activity.PUSH!.NextActivity)})`,
          note: "Waymark sends SMS and email only: no push notification goes out",
        });
        return;
      case "CUSTOM":
        this.#custom(id, node!, activity, title);
        return;
      case "ContactCenter":
        this.#contactCenter(id, node!, activity, title);
        return;
      case "Wait":
        this.#wait(id, node!, activity.Wait!.WaitTime, activity.Wait!.NextActivity, title);
        return;
      case "Holdout":
        this.#holdoutActivity(id, node, activity, title);
        return;
      case "RandomSplit":
        this.#randomSplit(id, node, activity, title);
        return;
      case "ConditionalSplit":
        this.#conditionalSplit(id, node!, activity, title);
        return;
      case "MultiCondition":
        this.#multiCondition(id, node, activity, title);
        return;
      case undefined:
        this.#add(node!, { type: "exit", outcome: "incomplete" }, [`DRAFT: ${title} has no type yet.`]);
        this.#ctx.item({
          path: path(),
          pinpoint: `activity ${id} without a type`,
          status: "draft",
          waymark: `exit ${node} (outcome incomplete)`,
          note: "the journey ends here until the activity is written",
        });
    }
  }

  #send(id: string, node: string, type: "EMAIL" | "SMS", activity: Activity, title: string): void {
    const message = activity[type]!;
    const priority = ActivityMapper.priorityOf(activity)!;
    this.#priorities.add(priority);
    const channel = type === "EMAIL" ? "email" : "sms";
    const template = this.#template(id, message.TemplateName, message.TemplateVersion, priority);
    const saveAs = this.#messageVars.get(id)?.varName;
    this.#add(
      node,
      {
        type: "send",
        template,
        priority,
        channelOrder: [channel],
        vars: { name: ref("customer.profile.name") },
        why: [whyLine(title)],
        ...(this.#tag ? { tags: [this.#tag] } : {}),
        ...(saveAs ? { saveAs } : {}),
        next: this.#target(message.NextActivity),
      },
      [title],
    );
    const path = (...segments: (string | number)[]) => this.#ctx.at("Activities", id, type, ...segments);
    const smsType = activity.SMS?.MessageConfig?.MessageType;
    this.#ctx.item({
      path: this.#ctx.at("Activities", id),
      pinpoint: `${type} activity ${id}`,
      status: type === "SMS" && smsType !== undefined ? "mapped" : "approximated",
      waymark: `send node ${node}: ${channel}, ${priority}, template ${template}${saveAs ? `, its id kept in vars.${saveAs}` : ""}`,
      ...(type === "EMAIL"
        ? {
            note: "Pinpoint's emails carry no message type: imported as marketing (consent, caps, unsubscribe link); make it service if it is transactional",
          }
        : smsType === undefined
          ? { note: "no MessageType: imported as marketing (PROMOTIONAL), the stricter" }
          : {}),
    });
    if (smsType !== undefined)
      this.#ctx.item({
        path: path("MessageConfig", "MessageType"),
        pinpoint: `MessageType ${smsType}`,
        status: "mapped",
        waymark: `priority ${priority}`,
      });
    if (message.TemplateName !== undefined)
      this.#ctx.item({
        path: path("TemplateName"),
        pinpoint: `template ${message.TemplateName}${message.TemplateVersion ? ` version ${message.TemplateVersion}` : ""}`,
        status: "approximated",
        waymark: `template stub ${template}`,
        note: "a stub in en-US and every locale of the catalog, saying which Pinpoint template it stands for: write the text",
      });
    else
      this.#ctx.item({
        path: path("TemplateName"),
        pinpoint: "no template",
        status: "draft",
        waymark: `template stub ${template}`,
        note: "no template chosen yet: the stub says so",
      });
    const config = activity.EMAIL?.MessageConfig;
    if (config?.FromAddress !== undefined)
      this.#ctx.item({
        path: path("MessageConfig", "FromAddress"),
        pinpoint: `FromAddress ${config.FromAddress}`,
        status: "approximated",
        waymark: `email.fromAddress "${config.FromAddress}" on the Waymark construct`,
        note: "deployment-wide: every email of every journey comes from this address, verified in SES as itself or its domain",
        catalogWide: true,
      });
    const sms = activity.SMS?.MessageConfig;
    if (sms?.SenderId !== undefined)
      this.#ctx.item({
        path: path("MessageConfig", "SenderId"),
        pinpoint: `SenderId ${sms.SenderId}`,
        status: "approximated",
        waymark: `smsSenderId "${sms.SenderId}" on the Waymark construct`,
        note: "deployment-wide: every SMS of every journey goes with this sender id where the country allows one",
        catalogWide: true,
      });
    if (sms?.OriginationNumber !== undefined)
      this.#ctx.item({
        path: path("MessageConfig", "OriginationNumber"),
        pinpoint: `OriginationNumber ${sms.OriginationNumber}`,
        status: "approximated",
        waymark: `sms.originationIdentity "${sms.OriginationNumber}" on the Waymark construct`,
        note: "deployment-wide: every SMS of every journey goes from this number (one in AWS End User Messaging SMS; a pool of it and your other numbers lets the service pick by country)",
        catalogWide: true,
      });
    for (const key of ["EntityId", "TemplateId"] as const)
      if (sms?.[key] !== undefined)
        this.#ctx.item({
          path: path("MessageConfig", key),
          pinpoint: `${key} ${sms[key]}`,
          status: "not mapped",
          waymark: "—",
          note: "End User Messaging SMS takes no regulatory entity or template id with a message: register them with the origination identity",
        });
  }

  /** The stub for a Pinpoint template, shared by the activities that send it. */
  #template(
    activityId: string,
    name: string | undefined,
    version: string | undefined,
    priority: Priority,
  ): string {
    const suffix = version ? `.v${version.toLowerCase().replace(/[^a-z0-9]+/g, "-")}` : "";
    const id = `${this.#ctx.journeyId}.${kebab(name ?? `${activityId} untitled`, "template")}${suffix}`;
    const existing = this.#templates.find((t) => t.id === id);
    if (existing) {
      existing.usedBy.push(activityId);
      if (existing.priority !== priority && !existing.alsoAs?.includes(priority))
        existing.alsoAs = [...(existing.alsoAs ?? []), priority];
      return id;
    }
    this.#templates.push({
      id,
      priority,
      pinpointName: name ?? "(none chosen yet)",
      ...(version ? { pinpointVersion: version } : {}),
      usedBy: [activityId],
    });
    return id;
  }

  #custom(id: string, node: string, activity: Activity, title: string): void {
    const custom = activity.CUSTOM!;
    const detailType = `${pascal(this.#ctx.journeyId)}CustomActivity`;
    this.#ctx.define({
      exportName: camel(detailType),
      detailType,
      direction: "emitted",
      description: `A Pinpoint CUSTOM activity of ${this.#ctx.journeyId} reached: route it to the Lambda function or web hook it called.`,
      fields: [
        { name: "activityId", type: "string", sample: id, required: true },
        { name: "deliveryUri", type: "string", sample: custom.DeliveryUri ?? "arn:aws:lambda:…" },
        { name: "data", type: "string", sample: custom.MessageConfig?.Data ?? "{}" },
        { name: "templateName", type: "string", sample: custom.TemplateName ?? "Template" },
        { name: "templateVersion", type: "string", sample: custom.TemplateVersion ?? "1" },
        { name: "endpointTypes", type: "strings", sample: (custom.EndpointTypes ?? ["EMAIL"]).join(",") },
      ],
    });
    const detail: Record<string, string | string[]> = { activityId: id };
    if (custom.DeliveryUri !== undefined) detail.deliveryUri = custom.DeliveryUri;
    if (custom.MessageConfig?.Data !== undefined) detail.data = custom.MessageConfig.Data;
    if (custom.TemplateName !== undefined) detail.templateName = custom.TemplateName;
    if (custom.TemplateVersion !== undefined) detail.templateVersion = custom.TemplateVersion;
    if (custom.EndpointTypes !== undefined) detail.endpointTypes = [...custom.EndpointTypes];
    this.#add(
      node,
      {
        type: "emit",
        detailType,
        reason: whyLine(
          `Pinpoint CUSTOM activity ${id}${custom.DeliveryUri ? `: deliver to ${custom.DeliveryUri}` : ""}`,
        ),
        detail,
        next: this.#target(custom.NextActivity),
      },
      [title, `Emits ${detailType}: an EventBridge rule on it can invoke what the activity called.`],
    );
    this.#ctx.item({
      path: this.#ctx.at("Activities", id),
      pinpoint: `CUSTOM activity ${id}${custom.DeliveryUri ? ` (${custom.DeliveryUri})` : ""}`,
      status: "approximated",
      waymark: `emit node ${node}: ${detailType} (defined by the module)`,
      note:
        "Waymark calls no Lambda function or web hook from a journey: it emits an event instead; route it to the " +
        "same target with an EventBridge rule (detail-type " +
        `${detailType}, source waymark). The target gets the customer id, not Pinpoint's endpoint payload`,
    });
  }

  #contactCenter(id: string, node: string, activity: Activity, title: string): void {
    const campaign = this.#journey.JourneyChannelSettings?.ConnectCampaignArn;
    this.#add(
      node,
      {
        type: "emit",
        detailType: "AgentEscalationRequested",
        reason: whyLine(
          `Pinpoint ContactCenter activity ${id}: an agent should call the customer${campaign ? ` (Amazon Connect campaign ${campaign})` : ""}`,
        ).slice(0, 480),
        next: this.#target(activity.ContactCenter!.NextActivity),
      },
      [title],
    );
    this.#ctx.item({
      path: this.#ctx.at("Activities", id),
      pinpoint: `ContactCenter activity ${id}`,
      status: "approximated",
      waymark: `emit node ${node}: AgentEscalationRequested, with the customer's profile and recent timeline`,
      note: "Waymark does not dial: route AgentEscalationRequested to your contact centre (an EventBridge rule to Amazon Connect)",
    });
    if (this.#journey.JourneyChannelSettings)
      this.#ctx.item({
        path: this.#ctx.at("JourneyChannelSettings"),
        pinpoint: "JourneyChannelSettings (Amazon Connect campaign and role)",
        status: "not mapped",
        waymark: campaign ? "named in the escalation's reason" : "—",
        note: "give the campaign and its execution role to whatever consumes AgentEscalationRequested",
      });
  }

  #wait(id: string, node: string, time: WaitTime | undefined, next: string | undefined, title: string): void {
    const path = this.#ctx.at("Activities", id, "Wait", "WaitTime");
    if (time?.WaitFor !== undefined) {
      const duration = waymarkDuration(time.WaitFor);
      this.#add(node, { type: "wait", duration: duration.value, next: this.#target(next) }, [title]);
      this.#ctx.item({
        path,
        pinpoint: `Wait activity ${id}: WaitFor ${time.WaitFor}`,
        status: duration.approximation ? "approximated" : "mapped",
        waymark: `wait node ${node}: ${duration.value}`,
        ...(duration.approximation ? { note: duration.approximation } : {}),
      });
    } else if (time?.WaitUntil !== undefined) {
      const instant = waymarkInstant(time.WaitUntil);
      this.#add(node, { type: "waitUntil", at: instant.value, next: this.#target(next) }, [title]);
      this.#ctx.item({
        path,
        pinpoint: `Wait activity ${id}: WaitUntil ${time.WaitUntil}`,
        status: instant.approximation ? "approximated" : "mapped",
        waymark: `waitUntil node ${node}: ${instant.value} (already past: at once)`,
        ...(instant.approximation ? { note: instant.approximation } : {}),
      });
    } else {
      this.#add(node, { type: "wait", duration: "PT0S", next: this.#target(next) }, [
        `DRAFT: ${title} has no wait time yet: PT0S keeps its path.`,
      ]);
      this.#ctx.item({
        path,
        pinpoint: `Wait activity ${id} without a time`,
        status: "draft",
        waymark: `wait node ${node}: PT0S`,
        note: "no WaitFor or WaitUntil yet: imported as no wait at all so the path after it stays; set its duration",
      });
    }
  }

  #holdoutActivity(id: string, node: string | undefined, activity: Activity, title: string): void {
    const { Percentage: percent, NextActivity: next } = activity.Holdout!;
    const path = this.#ctx.at("Activities", id);
    const pinpoint = `Holdout activity ${id}: ${percent}%`;
    if (id === this.#start && percent > 0) {
      this.#holdout = { percent: Math.min(percent, 90) };
      const emits = Object.values(this.#activities).some((a) => a.CUSTOM || a.ContactCenter);
      this.#ctx.item({
        path,
        pinpoint,
        status: percent > 90 || emits ? "approximated" : "mapped",
        waymark: `the journey's holdout { percent: ${this.#holdout.percent} }`,
        note: [
          "held-out customers run the journey with every message suppressed and are measured against the rest (Pinpoint ended them here)",
          ...(percent > 90 ? ["Waymark holds out at most 90%"] : []),
          ...(emits ? ["their emitted events (CUSTOM, ContactCenter) still go out"] : []),
        ].join("; "),
      });
      return;
    }
    if (node === undefined) {
      this.#ctx.item({
        path,
        pinpoint,
        status: "mapped",
        waymark:
          percent === 100 ? `exit ${this.#target(id)}: everyone is held out` : "— (nobody is held out)",
      });
      return;
    }
    this.#add(
      node,
      {
        type: "split",
        experiment: node,
        variants: [
          { name: "control", weight: percent, next: this.#exit("held-out") },
          { name: "treatment", weight: 100 - percent, next: this.#target(next) },
        ],
      },
      [title, `The control (${percent}%) ends here, as Pinpoint's holdout does; the treatment goes on.`],
    );
    this.#ctx.item({
      path,
      pinpoint,
      status: "approximated",
      waymark: `split node ${node}: control ${percent}% ends the journey, treatment ${100 - percent}% goes on`,
      note: "Waymark's journey holdout is decided at entry; a holdout further in is a split whose control ends there (measured as an experiment)",
    });
  }

  #randomSplit(id: string, node: string | undefined, activity: Activity, title: string): void {
    const branches = activity.RandomSplit!.Branches ?? [];
    const path = this.#ctx.at("Activities", id);
    for (const [i, branch] of branches.entries())
      if (branch.Percentage === 0)
        this.#ctx.item({
          path: this.#ctx.at("Activities", id, "RandomSplit", "Branches", i),
          pinpoint: `path ${i + 1} of ${id}: 0%`,
          status: "not mapped",
          waymark: "—",
          note: "nobody takes a path of 0%",
        });
    if (node === undefined) {
      this.#ctx.item({
        path,
        pinpoint: `RandomSplit activity ${id}`,
        status: usableBranches(activity).length === 1 ? "mapped" : "draft",
        waymark: `— (everyone goes to ${this.#target(id)})`,
        note:
          usableBranches(activity).length === 1 ? "one path only: no split" : "no path with a percentage yet",
      });
      return;
    }
    const variants = branches.flatMap((branch, i) =>
      branch.Percentage
        ? [{ weight: branch.Percentage, next: this.#target(branch.NextActivity), index: i }]
        : [],
    );
    this.#add(
      node,
      {
        type: "split",
        experiment: node,
        variants: variants.map((v, n) => ({
          name: n === 0 ? "control" : `path-${v.index + 1}`,
          weight: v.weight,
          next: v.next,
        })),
      },
      [title],
    );
    this.#ctx.item({
      path,
      pinpoint: `RandomSplit activity ${id}: ${variants.map((v) => `${v.weight}%`).join(" / ")}`,
      status: "mapped",
      waymark: `split node ${node}: ${variants.map((v, n) => `${n === 0 ? "control" : `path-${v.index + 1}`} ${v.weight}`).join(", ")}`,
      note: "assignment hashes the customer, so a customer takes the same path on every entry; the first path is the control its lift is measured against",
    });
  }

  /** Evaluation time as a waitForEvent timeout (duration or instant), or a wait node's fields. */
  #evaluation(id: string, kind: "ConditionalSplit" | "MultiCondition", time: WaitTime | undefined) {
    const path = this.#ctx.at("Activities", id, kind, "EvaluationWaitTime");
    if (time?.WaitFor !== undefined) {
      const d = waymarkDuration(time.WaitFor);
      this.#ctx.item({
        path,
        pinpoint: `evaluate after ${time.WaitFor}`,
        status: d.approximation ? "approximated" : "mapped",
        waymark: `up to ${d.value}`,
        ...(d.approximation ? { note: d.approximation } : {}),
      });
      return { timeout: d.value, wait: { type: "wait" as const, duration: d.value } };
    }
    if (time?.WaitUntil !== undefined) {
      const at = waymarkInstant(time.WaitUntil);
      this.#ctx.item({
        path,
        pinpoint: `evaluate on ${time.WaitUntil}`,
        status: at.approximation ? "approximated" : "mapped",
        waymark: `until ${at.value}`,
        ...(at.approximation ? { note: at.approximation } : {}),
      });
      return { timeout: at.value, wait: { type: "waitUntil" as const, at: at.value } };
    }
    return undefined;
  }

  #conditionalSplit(id: string, node: string, activity: Activity, title: string): void {
    const split = activity.ConditionalSplit!;
    const conditions = split.Condition?.Conditions ?? [];
    const op = split.Condition?.Operator ?? "ALL";
    const yes = this.#target(split.TrueActivity);
    const no = this.#target(split.FalseActivity);
    const base = ["Activities", id, "ConditionalSplit", "Condition", "Conditions"];
    const item = (status: "mapped" | "approximated" | "draft", waymark: string, note?: string) =>
      this.#ctx.item({
        path: this.#ctx.at("Activities", id),
        pinpoint: `ConditionalSplit activity ${id}${conditions.length > 1 ? ` (${op} of ${conditions.length})` : ""}`,
        status,
        waymark,
        ...(note ? { note } : {}),
      });
    if (conditions.length === 0) {
      this.#add(node, { type: "branch", cases: [{ when: NEVER, next: yes }], otherwise: no }, [
        `DRAFT: ${title} has no condition yet: everyone takes the no path.`,
      ]);
      item(
        "draft",
        `branch node ${node}: always ${no}`,
        "no condition yet: everyone takes the no path until one is written",
      );
      return;
    }
    const evaluation = this.#evaluation(id, "ConditionalSplit", split.EvaluationWaitTime);
    const classified = conditions.map((c, i) => classify(this.#ctx, c, [...base, i], this.#messageVars));
    const waits = classified.filter((c): c is Extract<Classified, { kind: "wait" }> => c.kind === "wait");
    const statics = classified.flatMap((c) =>
      c.kind === "static" ? [c.condition] : c.kind === "never" ? [NEVER] : [],
    );
    const comment = [title, ...neverNote(classified)];

    if (waits.length === 0) {
      const test = combine(op, statics);
      let first = node;
      if (evaluation) {
        const check = this.#ctx.ids.take(`${node}-check`);
        this.#add(node, { ...evaluation.wait, next: check }, [
          ...comment,
          "Pinpoint evaluates the condition after this.",
        ]);
        first = check;
      }
      this.#add(
        first,
        { type: "branch", cases: [{ when: test, next: yes }], otherwise: no },
        first === node ? comment : [],
      );
      item(
        statics.includes(NEVER) ? "approximated" : "mapped",
        `${evaluation ? `wait node ${node}, then ` : ""}branch node ${first}: ${describeCondition(test)} → ${yes}, otherwise ${no}`,
      );
      return;
    }
    const timeout = evaluation?.timeout ?? "PT0S";
    const notes = [
      "the yes path starts when the event arrives, not at the end of the evaluation time",
      ...(evaluation
        ? []
        : [
            "no evaluation time: nothing can arrive in time, so everyone takes the no path; give the split an evaluation time",
          ]),
    ];
    if (op === "ANY" || waits.length === 1) {
      const [first, ...rest] = waits;
      const same = [first!, ...rest.filter((w) => sameCorrelation(w, first!))];
      const dropped = rest.filter((w) => !sameCorrelation(w, first!));
      if (dropped.length > 0)
        notes.push(
          "a split waits for one message's feedback (or for customer events): conditions on another are treated as not met",
        );
      const saved = `${camel(node)}Event`;
      const eventTests = same.map((w) => eventTest(w, saved));
      const filtered = eventTests.some((t) => t.filter);
      const otherwise = (test: Condition[], label: string) => {
        if (test.length === 0) return no;
        const check = this.#ctx.ids.take(`${node}-${label}`);
        this.#add(
          check,
          { type: "branch", cases: [{ when: combine(op, test), next: yes }], otherwise: no },
          [],
        );
        return check;
      };
      let onEvent = yes;
      if (op === "ANY") {
        if (filtered) {
          const check = this.#ctx.ids.take(`${node}-check`);
          this.#add(
            check,
            {
              type: "branch",
              cases: [
                {
                  when: combine(
                    "ANY",
                    eventTests.map((t) => t.test),
                  ),
                  next: yes,
                },
              ],
              otherwise: otherwise(statics, "else"),
            },
            [],
          );
          onEvent = check;
        }
      } else if (filtered || statics.length > 0) {
        onEvent = otherwise(
          [...eventTests.flatMap((t) => (t.filter ? [t.filter] : [])), ...statics],
          "check",
        );
      }
      const onTimeout = op === "ANY" ? otherwise(statics, "timed-out") : no;
      this.#add(
        node,
        waitNode(
          same.flatMap((w) => w.events),
          first!.correlate,
          timeout,
          filtered ? saved : undefined,
          onEvent,
          onTimeout,
        ),
        comment,
      );
      item(
        "approximated",
        `waitForEvent node ${node}: ${unique(same.flatMap((w) => w.events)).join(" or ")} up to ${timeout} → ${yes}, otherwise ${no}`,
        notes.join("; "),
      );
      return;
    }
    // ALL of several events: each in turn, each up to the evaluation time.
    notes.push("ALL of several events: Waymark waits for each in turn, each up to the evaluation time");
    let next = statics.length > 0 ? "" : yes;
    if (statics.length > 0) {
      next = this.#ctx.ids.take(`${node}-check`);
      this.#add(
        next,
        { type: "branch", cases: [{ when: combine("ALL", statics), next: yes }], otherwise: no },
        [],
      );
    }
    for (let i = waits.length - 1; i >= 0; i--) {
      const wait = waits[i]!;
      const waitId = i === 0 ? node : this.#ctx.ids.take(`${node}-then-${i + 1}`);
      const saved = `${camel(waitId)}Event`;
      const test = eventTest(wait, saved);
      let onEvent = next;
      if (test.filter) {
        const check = this.#ctx.ids.take(`${waitId}-check`);
        this.#add(check, { type: "branch", cases: [{ when: test.filter, next }], otherwise: no }, []);
        onEvent = check;
      }
      this.#add(
        waitId,
        waitNode(wait.events, wait.correlate, timeout, test.filter ? saved : undefined, onEvent, no),
        i === 0 ? comment : [],
      );
      next = waitId;
    }
    item(
      "approximated",
      `waitForEvent nodes from ${node}: each of ${waits.length} events up to ${timeout} → ${yes}, otherwise ${no}`,
      notes.join("; "),
    );
  }

  #multiCondition(id: string, node: string | undefined, activity: Activity, title: string): void {
    const multi = activity.MultiCondition!;
    const branches = multi.Branches ?? [];
    const fallback = this.#target(multi.DefaultActivity);
    const path = this.#ctx.at("Activities", id);
    if (node === undefined) {
      this.#ctx.item({
        path,
        pinpoint: `MultiCondition activity ${id}`,
        status: "draft",
        waymark: `— (everyone goes to ${fallback})`,
        note: "no branches yet: everyone takes the default path",
      });
      return;
    }
    const evaluation = this.#evaluation(id, "MultiCondition", multi.EvaluationWaitTime);
    const classified = branches.map((b, i) =>
      classify(
        this.#ctx,
        b.Condition,
        ["Activities", id, "MultiCondition", "Branches", i, "Condition"],
        this.#messageVars,
      ),
    );
    const targets = branches.map((b) => this.#target(b.NextActivity));
    const comment = [title, ...neverNote(classified)];
    const waits = classified.filter((c): c is Extract<Classified, { kind: "wait" }> => c.kind === "wait");
    const staticCases = classified.flatMap((c, i) =>
      c.kind === "wait" ? [] : [{ when: c.kind === "static" ? c.condition : NEVER, next: targets[i]! }],
    );
    const describe = (cases: { when: Condition; next: string }[]) =>
      `${cases.map((c) => `${describeCondition(c.when)} → ${c.next}`).join("; ")}; otherwise ${fallback}`;
    if (waits.length === 0) {
      let first = node;
      if (evaluation) {
        first = this.#ctx.ids.take(`${node}-check`);
        this.#add(node, { ...evaluation.wait, next: first }, [
          ...comment,
          "Pinpoint evaluates the branches after this.",
        ]);
      }
      this.#add(
        first,
        { type: "branch", cases: staticCases, otherwise: fallback },
        first === node ? comment : [],
      );
      this.#ctx.item({
        path,
        pinpoint: `MultiCondition activity ${id} (${branches.length} branches)`,
        status: classified.some((c) => c.kind === "never") ? "approximated" : "mapped",
        waymark: `${evaluation ? `wait node ${node}, then ` : ""}branch node ${first}: ${describe(staticCases)}`,
      });
      return;
    }
    const first = waits[0]!;
    const saved = `${camel(node)}Event`;
    const cases = classified.map((c, i) => {
      if (c.kind !== "wait") return { when: c.kind === "static" ? c.condition : NEVER, next: targets[i]! };
      if (!sameCorrelation(c, first)) return { when: NEVER, next: targets[i]! };
      const test = eventTest(c, saved);
      return { when: test.filter ? combine("ALL", [test.test, test.filter]) : test.test, next: targets[i]! };
    });
    const check = this.#ctx.ids.take(`${node}-check`);
    this.#add(check, { type: "branch", cases, otherwise: fallback }, []);
    let onTimeout = fallback;
    if (staticCases.length > 0) {
      onTimeout = this.#ctx.ids.take(`${node}-timed-out`);
      this.#add(onTimeout, { type: "branch", cases: staticCases, otherwise: fallback }, []);
    }
    const events = waits.filter((w) => sameCorrelation(w, first)).flatMap((w) => w.events);
    const timeout = evaluation?.timeout ?? "PT0S";
    this.#add(node, waitNode(events, first.correlate, timeout, saved, check, onTimeout), comment);
    this.#ctx.item({
      path,
      pinpoint: `MultiCondition activity ${id} (${branches.length} branches)`,
      status: "approximated",
      waymark: `waitForEvent node ${node}: ${unique(events).join(" or ")} up to ${timeout}, then branch node ${check}: ${describe(cases)}`,
      note: [
        "the first of these events to arrive decides, at once (Pinpoint checks the branches in order at the end of the evaluation time)",
        ...(waits.some((w) => !sameCorrelation(w, first))
          ? [
              "a split waits for one message's feedback (or for customer events): branches on another never match",
            ]
          : []),
        ...(evaluation
          ? []
          : ["no evaluation time: nothing can arrive in time, so everyone takes the default path"]),
      ].join("; "),
    });
  }

  /** Drops nodes no path reaches (after a dropped random-split path), reporting each. */
  #prune(start: string): void {
    const reached = new Set<string>();
    const queue = [start];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (reached.has(id)) continue;
      reached.add(id);
      queue.push(...successors(this.#nodes[id] as JourneyNode));
    }
    for (const id of Object.keys(this.#nodes)) {
      if (reached.has(id)) continue;
      delete this.#nodes[id];
      delete this.#comments[id];
      const activity = [...this.#ids].find(([, node]) => node === id)?.[0];
      if (activity) {
        // What was said of it as it was mapped no longer holds.
        const at = this.#ctx.at("Activities", activity);
        const said = this.#ctx.items.filter(
          (i) => i.path === at || (/^[.[]/.test(i.path.slice(at.length)) && i.path.startsWith(at)),
        );
        for (const item of said) this.#ctx.items.splice(this.#ctx.items.indexOf(item), 1);
        this.#ctx.item({
          path: this.#ctx.at("Activities", activity),
          pinpoint: `activity ${activity}`,
          status: "not mapped",
          waymark: "—",
          note: "only a path that was not imported leads here",
        });
      }
    }
  }
}

/** What `eq(false, true)` in a split means, when a condition was not mapped. */
function neverNote(classified: readonly Classified[]): string[] {
  return classified.some((c) => c.kind === "never")
    ? ["A condition Waymark cannot evaluate is written eq(false, true): it never holds (see the report)."]
    : [];
}

function usableBranches(activity: Activity) {
  return (activity.RandomSplit?.Branches ?? []).filter((b) => (b.Percentage ?? 0) > 0);
}

/** Placeholders ({vars.x}) are Waymark's in why lines: braces from Pinpoint's text are made plain. */
function whyLine(text: string): string {
  return text.replace(/[{}]/g, (b) => (b === "{" ? "(" : ")"));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function sameCorrelation(
  a: Extract<Classified, { kind: "wait" }>,
  b: Extract<Classified, { kind: "wait" }>,
): boolean {
  return a.correlate.varName === b.correlate.varName && a.correlate.eventField === b.correlate.eventField;
}

/** Which of the waited-for events answered (from the saved event), and its filter. */
function eventTest(
  wait: Extract<Classified, { kind: "wait" }>,
  saved: string,
): { test: Condition; filter?: Condition } {
  const events = unique(wait.events);
  const detailType = ref(`vars.${saved}.detailType`);
  const test = events.length === 1 ? eq(detailType, events[0]!) : oneOf(detailType, events);
  const filter = wait.filter?.(saved);
  return { test, ...(filter ? { filter } : {}) };
}

function waitNode(
  events: readonly string[],
  correlate: { eventField: string; varName: string },
  timeout: string,
  saveAs: string | undefined,
  onEvent: string,
  onTimeout: string,
): NodeInput {
  const distinct = unique(events);
  return {
    type: "waitForEvent",
    event: distinct.length === 1 ? distinct[0]! : distinct,
    correlate: { ...correlate, fallback: "none" },
    timeout,
    ...(saveAs ? { saveAs } : {}),
    onEvent,
    onTimeout,
  };
}
