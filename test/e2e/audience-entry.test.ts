import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalRuntime } from "../../infra/local/runtime.ts";
import { audienceCatalog, listMember } from "../support/audience.ts";
import { LocalApi } from "../support/local-api.ts";

let runtime: LocalRuntime;
let api: LocalApi;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "waymark-audience-e2e-"));
  writeFileSync(
    path.join(dir, "may.csv"),
    'customerId,name\nc-1,"Kim, Jiwoo"\nc-2,Alex\nc-1,again\n,no id\n',
  );
  runtime = await LocalRuntime.start({ port: 0, tickMs: 0, catalog: audienceCatalog, audienceDir: dir });
  api = new LocalApi(runtime.url);
  await api.post("/clock", { set: "2026-05-01T15:00:00Z" });
});
afterAll(async () => {
  await runtime.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("a journey entered for a list of customers, on the local runtime", () => {
  it("reads the list, and each customer on it enters once and gets the message", async () => {
    await api.put(
      { detailType: "CustomerProfileUpdated", detail: listMember("c-1") },
      { detailType: "CustomerProfileUpdated", detail: listMember("c-2") },
    );
    const put = await api.put({
      detailType: "AudienceEntryRequested",
      source: "marketing.audiences",
      detail: { audienceId: "may-2026", journeyId: "list-offer", source: "may.csv", format: "csv" },
    });
    expect(put.FailedEntryCount).toBe(0);
    const outbox = await api.outbox();
    expect(outbox.map((n) => [n.customerId, n.template, n.status, n.channel])).toEqual([
      ["c-1", "list.note", "sent", "sms"],
      ["c-2", "list.note", "sent", "sms"],
    ]);
    expect(outbox[0]!.why[0]).toBe("on the list of audience may-2026");

    // The same audience again enters nobody twice.
    await api.put({
      detailType: "AudienceEntryRequested",
      source: "marketing.audiences",
      detail: { audienceId: "may-2026", journeyId: "list-offer", source: "may.csv", format: "csv" },
    });
    expect(await api.outbox()).toHaveLength(2);
  });

  it("sets aside an audience whose list cannot be read", async () => {
    await api.put({
      detailType: "AudienceEntryRequested",
      source: "marketing.audiences",
      detail: { audienceId: "lost", journeyId: "list-offer", source: "missing.csv", format: "csv" },
    });
    const { body } = await api.get<{ deadLetters: { queue: string; body: unknown }[] }>("/dead-letters");
    expect(body.deadLetters.map((d) => d.queue)).toEqual(["global"]);
  });
});
