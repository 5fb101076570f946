import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LocalRuntime } from "../../infra/local/runtime.ts";
import { LocalApi } from "../support/local-api.ts";

let runtime: LocalRuntime;
let api: LocalApi;
beforeAll(async () => {
  runtime = await LocalRuntime.start({ port: 0, tickMs: 0 });
  api = new LocalApi(runtime.url);
});
afterAll(async () => {
  await runtime.stop();
});
beforeEach(async () => {
  await api.post("/reset");
  await api.post("/clock", { set: "2026-06-01T00:00:00Z" });
});

const seoul = { lat: 37.5665, lon: 126.978 };
const gangnam = { lat: 37.4979, lon: 127.0276 };
const busan = { lat: 35.1796, lon: 129.0756 };
const phone = (model: string) => ({ sku: `${model}N`, name: "Galaxy", model, quantity: 1, unitPrice: 1 });

async function owner(customerId: string, extra: Record<string, unknown> = {}, model = "SM-S931") {
  await api.put(
    {
      detailType: "CustomerProfileUpdated",
      detail: {
        customerId,
        name: customerId,
        locale: "en-US",
        timeZone: "Asia/Seoul",
        phone: `+8210${customerId.length}0000000`.slice(0, 14),
        email: `${customerId}@example.com`,
        home: { ...seoul, address: "Jung-gu, Seoul" },
        ...extra,
      },
    },
    {
      detailType: "OrderPlaced",
      detail: { customerId, orderId: `${customerId}-o`, items: [phone(model)], currency: "KRW" },
    },
  );
}

async function store(
  storeId: string,
  location: { lat: number; lon: number },
  stock: { sku: string; quantity: number }[],
) {
  await api.put({
    detailType: "StoreInventoryUpdated",
    source: "stores.inventory",
    detail: { storeId, name: storeId, address: `${storeId} street`, location, stock },
  });
}

describe("context-aware journeys on the local runtime", () => {
  it("a recall reaches exactly the owners, with the nearest store that has the first replacement, and ships when none is near", async () => {
    await store("gangnam", gangnam, [{ sku: "SM-S936N", quantity: 1 }]);
    await store("myeongdong", seoul, [{ sku: "SM-S935N", quantity: 5 }]);
    await owner("ana");
    await owner("ben");
    await owner("cho", { home: { ...busan, address: "Busan" } });
    await owner("dae", {}, "SM-X100"); // not an owner of the recalled model
    await owner("eun");
    await api.put({ detailType: "OrderReturned", detail: { customerId: "eun", orderId: "eun-o" } });

    await api.put({
      detailType: "ProductRecallIssued",
      source: "safety.recalls",
      detail: {
        recallId: "RC-7",
        models: ["SM-S931"],
        severity: "critical",
        hazard: "battery may overheat",
        remedy: "replace",
        replacementSkus: ["SM-S936N", "SM-S935N"],
      },
    });
    const notices = (await api.outbox()).filter(
      (n) => n.template === "product-recall.notice" && n.channel === "sms",
    );
    const byCustomer = Object.fromEntries(notices.map((n) => [n.customerId, n.vars]));
    expect(Object.keys(byCustomer).sort()).toEqual(["ana", "ben", "cho"]);
    // One unit of the first choice nearby: one owner gets Gangnam; the other the nearest store with the second SKU.
    const nearby = [byCustomer.ana, byCustomer.ben];
    expect(nearby.map((v) => `${v?.storeId}:${v?.replacementSku}`).sort()).toEqual([
      "gangnam:SM-S936N",
      "myeongdong:SM-S935N",
    ]);
    expect(byCustomer.cho).toMatchObject({ fulfilment: "ship", replacementSku: "SM-S936N" });
    // critical: every contactable channel at once
    expect(
      (await api.outbox())
        .filter((n) => n.customerId === "ana" && n.template === "product-recall.notice")
        .map((n) => n.channel)
        .sort(),
    ).toEqual(["email", "sms"]);

    // Reminders a week apart, until resolved
    await api.put({ detailType: "RecallResolved", detail: { customerId: "ana", recallId: "RC-7" } });
    await api.post("/clock", { advance: "P15D" });
    const reminders = (await api.outbox()).filter((n) => n.template === "product-recall.reminder");
    expect(reminders.filter((n) => n.customerId === "ana")).toEqual([]);
    expect(reminders.filter((n) => n.customerId === "ben" && n.channel === "sms")).toHaveLength(2);
  });

  it("a travel restriction reaches owners who travel, by SMS first, with the store nearest to where they are", async () => {
    await store("busan-central", { lat: 35.18, lon: 129.07 }, [{ sku: "SM-S936N", quantity: 3 }]);
    await owner("traveller", { preferredChannel: "email" });
    await api.put({
      detailType: "CustomerLocationUpdated",
      detail: { customerId: "traveller", ...busan, observedAt: "2026-05-31T12:00:00Z" },
    });
    await owner("homebody");
    await owner("frequent");
    for (const day of ["2026-05-03T03:00:00Z", "2026-05-17T03:00:00Z"]) {
      await api.put({
        detailType: "CustomerLocationUpdated",
        detail: { customerId: "frequent", ...busan, observedAt: day },
      });
    }
    await api.put({
      detailType: "CustomerLocationUpdated",
      detail: { customerId: "frequent", ...seoul, observedAt: "2026-05-30T03:00:00Z" },
    });
    await api.put({
      detailType: "CustomerProfileUpdated",
      detail: { customerId: "stranger", phone: "+821099990000", home: { ...seoul } },
    });
    await api.put({
      detailType: "CustomerLocationUpdated",
      detail: { customerId: "stranger", ...busan, observedAt: "2026-05-31T12:00:00Z" },
    });

    await api.post("/clock", { set: "2026-06-01T01:00:00Z" }); // 10:00 in Seoul
    await api.put({
      detailType: "TravelRestrictionIssued",
      source: "regulatory.travel",
      detail: {
        restrictionId: "TR-1",
        models: ["SM-S931"],
        authority: "MOLIT",
        scope: "air-travel",
        effectiveAt: "2026-06-05T00:00:00Z",
        summary: "no flights",
        replacementSkus: ["SM-S936N"],
      },
    });
    const alerts = (await api.outbox()).filter((n) => n.template === "travel-restriction.alert");
    expect(alerts.map((n) => [n.customerId, n.channel]).sort()).toEqual([
      ["frequent", "sms"],
      ["traveller", "sms"],
    ]);
    const traveller = alerts.find((n) => n.customerId === "traveller")!;
    expect(traveller.vars).toMatchObject({ fulfilment: "store", storeId: "busan-central" });
    expect(alerts.find((n) => n.customerId === "frequent")!.vars).toMatchObject({ fulfilment: "ship" });
  });
});
