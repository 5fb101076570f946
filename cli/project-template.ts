/**
 * The files `waymark init` writes: a small, complete Waymark project. Kept as text here (not as a folder of
 * templates) so the package ships it inside its compiled JavaScript; the consumer test installs the packed
 * tarball, scaffolds this project and runs its `npm test`, so every file is proven to work.
 */

export interface ProjectOptions {
  /** The npm package name of the new project. */
  name: string;
  /** What the project depends on for waymark: a version range, or a file: spec of a tarball. */
  waymark: string;
  versions: Record<"aws-cdk-lib" | "constructs" | "zod" | "aws-cdk" | "vitest", string>;
}

export function projectFiles(options: ProjectOptions): Record<string, string> {
  return {
    "package.json": `${JSON.stringify(
      {
        name: options.name,
        version: "0.1.0",
        private: true,
        type: "module",
        engines: { node: ">=24" },
        scripts: {
          start: "waymark start",
          test: "vitest run",
          synth: "cdk synth --quiet",
          deploy: "cdk deploy --all",
          simulate: "waymark simulate cart-reminder --events events/cart-abandoned.jsonl",
        },
        dependencies: {
          "aws-cdk-lib": options.versions["aws-cdk-lib"],
          constructs: options.versions.constructs,
          waymark: options.waymark,
          zod: options.versions.zod,
        },
        devDependencies: {
          "aws-cdk": options.versions["aws-cdk"],
          vitest: options.versions.vitest,
        },
      },
      null,
      2,
    )}\n`,
    ".gitignore": "node_modules/\ncdk.out/\n.waymark/\n",
    "cdk.json": `${JSON.stringify({ app: "node infra/app.ts", output: "cdk.out" }, null, 2)}\n`,
    "tsconfig.json": `${JSON.stringify(
      {
        compilerOptions: {
          target: "es2024",
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          verbatimModuleSyntax: true,
          erasableSyntaxOnly: true,
          skipLibCheck: true,
          types: [],
        },
        include: ["waymark.config.ts", "events", "journeys", "infra", "test"],
      },
      null,
      2,
    )}\n`,
    "waymark.config.ts": CONFIG,
    "events/cart-abandoned.ts": CART_ABANDONED,
    "events/order-placed.ts": ORDER_PLACED,
    "events/cart-abandoned.jsonl": SAMPLE_TIMELINE,
    "journeys/cart-reminder.ts": JOURNEY,
    "journeys/cart-reminder-templates.ts": TEMPLATES,
    "infra/app.ts": CDK_APP,
    "test/cart-reminder.test.ts": TEST,
    "README.md": README,
  };
}

const CONFIG = `/**
 * The catalog: every event this project accepts, every journey (all versions that may still have
 * customers in them), their templates. \`waymark start\`, \`waymark simulate\`, the tests and the CDK app
 * all read this file.
 */
import { defineCatalog } from "waymark";
import { cartAbandoned } from "./events/cart-abandoned.ts";
import { orderPlaced } from "./events/order-placed.ts";
import { cartReminderV1 } from "./journeys/cart-reminder.ts";
import { cartReminderTemplates } from "./journeys/cart-reminder-templates.ts";

export default defineCatalog({
  events: [cartAbandoned, orderPlaced],
  journeys: [cartReminderV1],
  templates: cartReminderTemplates,
  // Every delivery rule has a default (quiet hours 21:00–08:00, 1 marketing message a day and 3 a week…);
  // Korean law also wants your company's name and a free 080 number on marketing messages: put yours here.
  delivery: { advertising: { senderName: "데모상점", koreanOptOutNumber: "080-123-4567" } },
});
`;

const CART_ABANDONED = `import { customerEventBase, defineEvent, displayName, identifier, money, positiveInteger, z } from "waymark";

export const cartAbandoned = defineEvent({
  detailType: "CartAbandoned",
  scope: "customer",
  direction: "inbound",
  description: "A customer left items in their cart without checking out.",
  detail: customerEventBase.extend({
    cartId: identifier.describe("The shop's cart id"),
    items: z
      .array(z.object({ sku: identifier, name: displayName, quantity: positiveInteger }))
      .min(1)
      .max(50),
    total: money.optional(),
  }),
  describe: (detail) => \`left cart \${detail.cartId} with \${detail.items.length} item(s)\`,
  samples: [
    { customerId: "c-1", cartId: "cart-1", items: [{ sku: "MUG-01", name: "Trail mug", quantity: 1 }] },
    {
      customerId: "c-1",
      eventId: "shop-cart-2",
      cartId: "cart-2",
      items: [
        { sku: "MUG-01", name: "Trail mug", quantity: 2 },
        { sku: "CAP-07", name: "Summit cap", quantity: 1 },
      ],
      total: 54.5,
    },
  ],
});
`;

const ORDER_PLACED = `import { customerEventBase, defineEvent, identifier } from "waymark";

export const orderPlaced = defineEvent({
  detailType: "OrderPlaced",
  scope: "customer",
  direction: "inbound",
  description: "A customer checked out; cartId says which cart became the order.",
  detail: customerEventBase.extend({
    orderId: identifier,
    cartId: identifier.optional().describe("The cart that was checked out, when there was one"),
  }),
  describe: (detail) => \`placed order \${detail.orderId}\${detail.cartId ? \` from cart \${detail.cartId}\` : ""}\`,
  samples: [
    { customerId: "c-1", orderId: "o-1" },
    { customerId: "c-1", orderId: "o-2", cartId: "cart-2", occurredAt: "2026-03-02T15:30:00Z" },
  ],
});
`;

const JOURNEY = `import { defineJourney, eq, eventRef, ref } from "waymark";
import { cartAbandoned } from "../events/cart-abandoned.ts";
import { orderPlaced } from "../events/order-placed.ts";

/**
 * An hour after a cart is abandoned, a reminder — unless the customer places an order for that cart first.
 * A reminder is marketing: Waymark's guardrails send it only with consent, never at night, and at most
 * once a day and three times a week across every journey.
 */
export const cartReminderV1 = defineJourney({
  id: "cart-reminder",
  version: 1,
  description: "A reminder an hour after a cart is abandoned, unless the customer checks out first.",
  entry: {
    event: cartAbandoned.detailType,
    // eventRef checks the field against the event's schema as you type; ref("event.cartId") works too.
    key: eventRef(cartAbandoned, "cartId"),
    capture: { cartId: eventRef(cartAbandoned, "cartId"), items: eventRef(cartAbandoned, "items") },
  },
  exitOn: [
    {
      event: orderPlaced.detailType,
      when: eq(eventRef(orderPlaced, "cartId"), ref("vars.cartId")),
      outcome: "ordered",
    },
  ],
  start: "wait-an-hour",
  nodes: {
    "wait-an-hour": { type: "wait", duration: "PT1H", next: "remind" },
    remind: {
      type: "send",
      template: "cart.reminder",
      priority: "marketing",
      vars: { name: ref("customer.profile.name"), items: ref("vars.items") },
      why: ["cart {vars.cartId} was left an hour ago and no order came from it"],
      next: "done",
    },
    done: { type: "exit", outcome: "reminded" },
  },
});
`;

const TEMPLATES = `import { defineTemplate, productSummary, text } from "waymark";

const names = (items: unknown) =>
  Array.isArray(items) ? items.map((item) => (item as { name?: unknown }).name) : [];

export const cartReminderTemplates = [
  defineTemplate({
    id: "cart.reminder",
    priority: "marketing",
    vars: ["items"],
    locales: {
      "en-US": {
        sms: (v) =>
          \`\${text(v.name, "Hi")}, your cart is waiting: \${productSummary(names(v.items), (n) => \` and \${n} more\`, "your items")}.\`,
        email: {
          subject: () => "You left something in your cart",
          body: (v) =>
            \`\${text(v.name, "Hi")},\\n\\nYour cart still holds \${productSummary(names(v.items), (n) => \` and \${n} more\`, "your items")}. It is saved for you whenever you are ready.\`,
        },
      },
      "ko-KR": {
        sms: (v) =>
          \`\${text(v.name, "고객")}님, 장바구니에 \${productSummary(names(v.items), (n) => \` 외 \${n}개\`, "상품")}이(가) 기다리고 있어요.\`,
        email: {
          subject: () => "장바구니에 담아 두신 상품이 있어요",
          body: (v) =>
            \`\${text(v.name, "고객")}님,\\n\\n장바구니에 \${productSummary(names(v.items), (n) => \` 외 \${n}개\`, "상품")}이(가) 저장되어 있어요.\`,
        },
      },
    },
  }),
];
`;

const SAMPLE_TIMELINE = `{"detail-type": "CustomerProfileUpdated", "time": "2026-03-02T14:00:00Z", "detail": {"customerId": "c-1", "name": "Alex", "locale": "en-US", "timeZone": "America/New_York", "phone": "+12125550123", "consent": {"marketingSms": true}}}
{"detail-type": "CartAbandoned", "time": "2026-03-02T15:00:00Z", "detail": {"customerId": "c-1", "cartId": "cart-1", "items": [{"sku": "MUG-01", "name": "Trail mug", "quantity": 1}]}}
{"detail-type": "CartAbandoned", "time": "2026-03-02T15:10:00Z", "detail": {"customerId": "c-1", "cartId": "cart-2", "items": [{"sku": "CAP-07", "name": "Summit cap", "quantity": 1}]}}
{"detail-type": "OrderPlaced", "time": "2026-03-02T15:30:00Z", "detail": {"customerId": "c-1", "orderId": "o-1", "cartId": "cart-2"}}
`;

const CDK_APP = `/** The CDK app: \`npm run synth\` writes the template (no AWS account needed), \`npm run deploy\` deploys it. */
import { fileURLToPath } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import { Waymark } from "waymark/cdk";

const app = new App();
const stack = new Stack(app, "Journeys", {
  description: "Waymark: customer journeys from this project's catalog",
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
new Waymark(stack, "Waymark", {
  catalog: fileURLToPath(new URL("../waymark.config.ts", import.meta.url)),
  ...(process.env.ALARM_EMAIL ? { alarmEmail: process.env.ALARM_EMAIL } : {}),
});
app.synth();
`;

const TEST = `import { runJourney } from "waymark/testing";
import { describe, expect, it } from "vitest";
import catalog from "../waymark.config.ts";

const profile = {
  detailType: "CustomerProfileUpdated",
  time: "2026-03-02T14:00:00Z",
  detail: {
    customerId: "c-1",
    name: "Alex",
    locale: "en-US",
    timeZone: "America/New_York",
    phone: "+12125550123",
    consent: { marketingSms: true },
  },
};
const abandoned = (cartId: string, time: string) => ({
  detailType: "CartAbandoned",
  time,
  detail: { customerId: "c-1", cartId, items: [{ sku: "MUG-01", name: "Trail mug", quantity: 1 }] },
});

describe("cart-reminder", () => {
  it("reminds the customer an hour after the cart was left", () => {
    const { messages } = runJourney({
      catalog,
      journey: "cart-reminder",
      events: [profile, abandoned("cart-1", "2026-03-02T15:00:00Z")],
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ status: "sent", channel: "sms", at: "2026-03-02T16:00:00.000Z" });
    expect(messages[0]!.body).toContain("your cart is waiting: Trail mug");
    expect(messages[0]!.why[0]).toBe("cart cart-1 was left an hour ago and no order came from it");
  });

  it("sends nothing when the customer orders that cart within the hour", () => {
    const { messages, summary } = runJourney({
      catalog,
      journey: "cart-reminder",
      events: [
        profile,
        abandoned("cart-1", "2026-03-02T15:00:00Z"),
        { detailType: "OrderPlaced", time: "2026-03-02T15:20:00Z", detail: { customerId: "c-1", orderId: "o-1", cartId: "cart-1" } },
      ],
    });
    expect(messages).toHaveLength(0);
    expect(summary.completed).toEqual({ ordered: 1 });
  });

  it("asks for consent first: without it the reminder is suppressed, with the reason", () => {
    const { messages } = runJourney({
      catalog,
      journey: "cart-reminder",
      events: [{ ...profile, detail: { ...profile.detail, consent: { marketingSms: false } } }, abandoned("cart-1", "2026-03-02T15:00:00Z")],
    });
    expect(messages.map((m) => [m.status, m.reason])).toEqual([["suppressed", "no-consent"]]);
  });
});
`;

const README = `# Journeys with Waymark

\`\`\`sh
npm install && npm start   # all of Waymark locally on http://127.0.0.1:4010, on this catalog
npm test                   # the journeys on virtual time
\`\`\`

- \`waymark.config.ts\` is the catalog: events (\`events/\`), journeys and templates (\`journeys/\`).
- \`npm run simulate\` plays \`events/cart-abandoned.jsonl\` through the cart-reminder journey and prints
  every decision with its why.
- \`npm run synth\` writes the CloudFormation template; \`npm run deploy\` deploys it (AWS credentials,
  \`npx cdk bootstrap\` once per account and region).
`;
