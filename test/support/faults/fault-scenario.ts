import type { Rng } from "./fault-plan.ts";
import type { FaultWorld } from "./fault-world.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Customer ids as producers send them: plain, with spaces, Hangul, emoji, names of Object.prototype members. */
const ID_SHAPES = [
  (n: number) => `cust-${n}`,
  (n: number) => `고객 ${n}`,
  (n: number) => `toString-${n}`,
  (n: number) => `a b/${n} ✓`,
  (n: number) => `cust-${n}@example.com`,
];

export interface ScenarioInputs {
  /** Ids of the envelopes the scenario put on the bus, and which of them must be rejected (with a reason). */
  accepted: string[];
  rejected: string[];
  customers: string[];
}

/**
 * A seeded week-by-week story for `size` customers over all four kinds of work: stores' stock (fan-out), profiles
 * and orders, deliveries (tips and survey timers), survey answers (detractors are escalated: an emit), a carrier
 * opt-out (the notifier's feedback), a critical recall to every owner (fan-out, safety sends, reservations), its
 * weekly reminders and resolutions, and hostile inputs that must be rejected with a reason.
 */
export async function runScenario(world: FaultWorld, rng: Rng, size: number): Promise<ScenarioInputs> {
  const inputs: ScenarioInputs = { accepted: [], rejected: [], customers: [] };
  const put = (detailType: string, source: string, detail: Record<string, unknown>) => {
    inputs.accepted.push(world.put({ "detail-type": detailType, source, detail }));
  };
  const start = world.now;
  const seoul = { lat: 37.5665, lon: 126.978 };
  put("StoreInventoryUpdated", "stores.inventory", {
    storeId: "myeongdong",
    name: "Myeongdong",
    address: "Myeongdong street",
    location: seoul,
    stock: [{ sku: "SM-S936N", quantity: Math.max(1, Math.floor(size / 2)) }],
  });
  const customers = Array.from({ length: size }, (_, n) => ({
    customerId: ID_SHAPES[n % ID_SHAPES.length]!(n),
    phone: `+8210${String(20_000_000 + n * 7919).padStart(8, "0")}`,
    korean: rng.chance(0.5),
    detractor: rng.chance(0.5),
  }));
  inputs.customers = customers.map((c) => c.customerId);
  for (const c of customers) {
    put("CustomerProfileUpdated", "crm.profiles", {
      customerId: c.customerId,
      name: c.korean ? "김지우" : "Jane",
      locale: c.korean ? "ko-KR" : "en-US",
      timeZone: c.korean ? "Asia/Seoul" : "America/New_York",
      phone: c.phone,
      email: `n${inputs.customers.indexOf(c.customerId)}@example.com`,
      preferredChannel: rng.chance(0.7) ? "sms" : "email",
      home: { ...seoul, address: "Jung-gu, Seoul" },
    });
    put("OrderPlaced", "shop.orders", {
      customerId: c.customerId,
      orderId: `o-${inputs.customers.indexOf(c.customerId)}`,
      items: [
        {
          sku: "SM-S931N",
          name: "Galaxy S26",
          model: "SM-S931",
          category: "phone",
          quantity: 1,
          unitPrice: 1155000,
        },
      ],
      currency: "KRW",
    });
  }
  // Hostile inputs: each must end on the rejected queue with its reason, none may stop the others.
  inputs.rejected.push(
    world.put({ "detail-type": "OrderPlaced", source: "shop.orders", detail: { orderId: "no-customer" } }),
  );
  let deep: unknown = "bottom";
  for (let level = 0; level < 200; level++) deep = { deeper: deep };
  inputs.rejected.push(
    world.put({
      "detail-type": "CustomerProfileUpdated",
      source: "crm.profiles",
      detail: { customerId: "deep", extra: deep },
    }),
  );
  inputs.rejected.push(
    world.put({
      "detail-type": "NotificationSent",
      source: "forger",
      detail: { customerId: customers[0]!.customerId },
    }),
  );
  await world.advanceTo(start + HOUR);

  // One number is on the account's SMS opt-out list: its first SMS bounces, and the channel closes.
  world.optedOutPhones.add(customers[size - 1]!.phone);
  for (const [n, c] of customers.entries())
    put("OrderDelivered", "shop.logistics", { customerId: c.customerId, orderId: `o-${n}` });
  await world.advanceTo(start + 4 * DAY);

  // Day 14: surveys; answered within hours.
  await world.advanceTo(start + 16 * DAY);
  const surveys = [...world.log.outbound.values()].filter(
    (r) => r.template === "post-purchase.nps-survey" && r.status === "sent",
  );
  for (const c of customers) {
    const survey = surveys.find((r) => r.customerId === c.customerId);
    if (!survey) continue;
    put("SurveyResponded", "surveys.nps", {
      customerId: c.customerId,
      surveyId: String(survey.vars.surveyId),
      score: c.detractor ? rng.int(0, 4) : rng.int(9, 10),
      ...(c.detractor ? { comment: "배터리가 빨리 닳아요. ".repeat(rng.int(1, 40)).trim() } : {}),
    });
  }
  await world.advanceTo(world.now + 6 * HOUR);

  // A critical recall of the model every customer owns: every owner, every channel, nearest store.
  put("ProductRecallIssued", "safety.recalls", {
    recallId: "RC-FAULTS",
    models: ["SM-S931"],
    severity: "critical",
    hazard: "battery may overheat",
    remedy: "replace",
    replacementSkus: ["SM-S936N"],
  });
  await world.advanceTo(world.now + 2 * DAY);
  for (const c of customers.filter(() => rng.chance(0.4)))
    put("RecallResolved", "safety.recalls", { customerId: c.customerId, recallId: "RC-FAULTS" });
  // Two weekly reminders for the others.
  await world.advanceTo(world.now + 15 * DAY);
  return inputs;
}
