import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Catalog } from "../../functions/core/catalog/catalog.ts";
import { LocalRuntime } from "../../infra/local/runtime.ts";
import { LocalApi } from "../support/local-api.ts";
import { importedProject } from "../support/pinpoint-import.ts";

let dir: string;
let runtime: LocalRuntime;
let api: LocalApi;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "waymark-pinpoint-e2e-"));
  const file = await importedProject("valid/cart-abandonment.json", dir, {
    id: "cart-abandonment",
    exportName: "cartAbandonment",
  });
  const catalog = ((await import(pathToFileURL(file).href)) as { default: Catalog }).default;
  runtime = await LocalRuntime.start({ port: 0, tickMs: 0, catalog });
  api = new LocalApi(runtime.url);
  await api.post("/clock", { set: "2026-03-03T18:00:00Z" });
});
afterAll(async () => {
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("an imported Pinpoint journey on the local runtime", () => {
  it("runs CartAbandonment from the bus: the email an hour later, the SMS a day after that", async () => {
    const put = await api.put(
      {
        detailType: "CustomerProfileUpdated",
        detail: {
          customerId: "c-1",
          locale: "en-US",
          timeZone: "America/New_York",
          phone: "+12125550123",
          email: "alex@example.com",
          consent: { marketingEmail: true, marketingSms: true },
        },
      },
      {
        detailType: "cart.abandoned",
        source: "shop.carts",
        detail: { customerId: "c-1", source: "app", cartTotal: 80 },
      },
    );
    expect(put.FailedEntryCount).toBe(0);
    expect(await api.get("/rejected")).toMatchObject({ body: { rejected: [] } });
    await api.post("/clock", { advance: "PT1H" });
    await api.post("/clock", { advance: "P1D" });
    const outbox = await api.outbox();
    expect(outbox.map((n) => [n.at, n.template, n.channel, n.status])).toEqual([
      ["2026-03-03T19:00:00.000Z", "cart-abandonment.cart-reminder.v2", "email", "sent"],
      ["2026-03-04T19:00:00.000Z", "cart-abandonment.cart-reminder-sms", "sms", "sent"],
    ]);
  });
});
