import "aws-sdk-client-mock-vitest/extend";
import { GenerateMacCommand, KMSClient, KMSInvalidMacException, VerifyMacCommand } from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { HmacTokenSigner } from "../../../functions/adapters/hmac-token-signer.ts";
import { KmsTokenSigner } from "../../../functions/adapters/kms-token-signer.ts";
import { stableId } from "../../../functions/core/ids.ts";
import { encodeLegacyPayload } from "../../../functions/core/unsubscribe-token.ts";
import type { EmittedEvent } from "../../../functions/ports/event-emitter.ts";
import { handleUnsubscribe } from "../../../functions/use-cases/handle-unsubscribe.ts";
import { UnsubscribeLinks } from "../../../functions/use-cases/unsubscribe-links.ts";

const links = new UnsubscribeLinks(new HmacTokenSigner(Buffer.alloc(32, 1)), "https://unsub.example.com/u");
const now = new Date("2026-06-01T00:00:00Z");

function deps() {
  const emitted: EmittedEvent[] = [];
  return {
    emitted,
    deps: {
      links,
      optOuts: { emit: async (e: readonly EmittedEvent[]) => void emitted.push(...e) },
      clock: () => now,
    },
  };
}

async function tokenFor(customerId: string): Promise<string> {
  return new URL(await links.url(customerId, "email", now)).searchParams.get("token")!;
}

describe("one-click unsubscribe (RFC 8058)", () => {
  it("marketing email headers carry an HTTPS List-Unsubscribe URL and List-Unsubscribe-Post", async () => {
    const headers = await links.headers("c-1", now);
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(headers["List-Unsubscribe"]).toMatch(/^<https:\/\/unsub\.example\.com\/u\?token=[\w-]+>$/);
    expect(
      () => new UnsubscribeLinks(new HmacTokenSigner(Buffer.alloc(32)), "http://insecure.example.com"),
    ).toThrow(/HTTPS/);
  });

  it("a POST with a valid token withdraws marketing consent and answers 200, no redirect, no cookie", async () => {
    const { emitted, deps: d } = deps();
    const response = await handleUnsubscribe(
      { method: "POST", token: await tokenFor("c-1"), requestId: "req-1" },
      d,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers).not.toHaveProperty("location");
    expect(response.headers).not.toHaveProperty("set-cookie");
    expect(emitted).toEqual([
      {
        detailType: "CustomerProfileUpdated",
        detail: {
          customerId: "c-1",
          consent: { marketingEmail: false },
          eventId: `unsubscribe-email-${stableId("c-1", "req-1")}`,
          occurredAt: now.toISOString(),
        },
      },
    ]);
  });

  it("a redelivered request keeps its idempotency key; every other request is an input of its own", async () => {
    const { emitted, deps: d } = deps();
    const token = await tokenFor("c-2");
    await handleUnsubscribe({ method: "POST", token, requestId: "req-1" }, d);
    const again = await handleUnsubscribe({ method: "POST", token, requestId: "req-1" }, d);
    expect(again.statusCode).toBe(200);
    expect(new Set(emitted.map((e) => e.detail.eventId)).size).toBe(1);
    // Unsubscribing again later (say after re-subscribing) is a new request, not a duplicate of the first.
    await handleUnsubscribe({ method: "POST", token, requestId: "req-2" }, d);
    expect(new Set(emitted.map((e) => e.detail.eventId)).size).toBe(2);
  });

  it("a GET does not unsubscribe; it shows a page whose button POSTs", async () => {
    const { emitted, deps: d } = deps();
    const response = await handleUnsubscribe(
      { method: "GET", token: await tokenFor("c-3"), requestId: "req-3" },
      d,
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('method="post"');
    expect(emitted).toEqual([]);
  });

  it("a link works for 400 days, then answers 410 Gone; a token issued in the future is refused (issue 9)", async () => {
    const token = await tokenFor("c-old");
    const at = (days: number) => {
      const { deps: d, emitted } = deps();
      return { emitted, d: { ...d, clock: () => new Date(now.getTime() + days * 86_400_000) } };
    };
    const fresh = at(399);
    expect((await handleUnsubscribe({ method: "POST", token, requestId: "a" }, fresh.d)).statusCode).toBe(
      200,
    );
    const old = at(401);
    const expired = await handleUnsubscribe({ method: "POST", token, requestId: "b" }, old.d);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain("expired");
    expect(old.emitted).toEqual([]);
    const early = at(-1);
    expect((await handleUnsubscribe({ method: "POST", token, requestId: "c" }, early.d)).statusCode).toBe(
      403,
    );
  });

  it("a link reveals nothing readable: no customer id in it, in any decoding (issue 9)", async () => {
    const customerId = "jiwoo.kim@example.com";
    const token = await tokenFor(customerId);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const decoded of [
      Buffer.from(token, "base64url").toString("latin1"),
      Buffer.from(token, "base64url").toString("utf8"),
      token,
    ])
      expect(decoded).not.toContain("jiwoo");
    // Short enough for a header and a footer: the id, 5 bytes of payload and 29 of nonce, tag and version.
    expect(Buffer.from(token, "base64url").length).toBe(Buffer.byteLength(customerId) + 34);
    // The same customer a second later: a different link, nothing in common to correlate.
    const later = new URL(
      await links.url(customerId, "email", new Date(now.getTime() + 1000)),
    ).searchParams.get("token")!;
    expect(later).not.toBe(token);
    expect(later.slice(0, 8)).not.toBe(token.slice(0, 8));
  });

  it("accepts only the canonical encoding of a token (no malleable variants)", async () => {
    const { emitted, deps: d } = deps();
    const token = await tokenFor("c-canon");
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // The last base64url character of a token whose length is not a multiple of 3 carries unused bits.
    expect(Buffer.from(token, "base64url").length % 3).not.toBe(0);
    const last = token.at(-1)!;
    const variant = `${token.slice(0, -1)}${alphabet[alphabet.indexOf(last) ^ 1]}`;
    expect(Buffer.from(variant, "base64url").equals(Buffer.from(token, "base64url"))).toBe(true);
    const response = await handleUnsubscribe({ method: "POST", token: variant, requestId: "r" }, d);
    expect(response.statusCode).toBe(403);
    expect(emitted).toEqual([]);
  });

  it("rejects forged, altered, foreign, truncated and missing tokens without recording anything", async () => {
    const { emitted, deps: d } = deps();
    const genuine = await tokenFor("victim");
    const bytes = Buffer.from(genuine, "base64url");
    const flipped = (index: number) => {
      const copy = Buffer.from(bytes);
      copy[index]! ^= 0x01;
      return copy.toString("base64url");
    };
    const otherKey = new UnsubscribeLinks(
      new HmacTokenSigner(Buffer.alloc(32, 9)),
      "https://unsub.example.com/u",
    );
    const foreign = new URL(await otherKey.url("victim", "email", now)).searchParams.get("token")!;
    for (const token of [
      flipped(0), // version
      flipped(5), // nonce
      flipped(20), // ciphertext: the customer id
      flipped(bytes.length - 1), // tag
      bytes.subarray(0, bytes.length - 1).toString("base64url"),
      foreign,
      "garbage",
      "A".repeat(4000),
    ]) {
      const response = await handleUnsubscribe({ method: "POST", token, requestId: "r" }, d);
      expect(response.statusCode).toBe(403);
    }
    expect(
      (await handleUnsubscribe({ method: "POST", token: undefined, requestId: "r" }, d)).statusCode,
    ).toBe(400);
    expect(
      (await handleUnsubscribe({ method: "DELETE", token: genuine, requestId: "r" }, d)).statusCode,
    ).toBe(405);
    expect(emitted).toEqual([]);
  });

  it("still honours a signed link issued before sealed tokens, canonical and unaltered only", async () => {
    const signer = new HmacTokenSigner(Buffer.alloc(32, 1));
    const payload = encodeLegacyPayload({
      customerId: "c-legacy",
      channel: "sms",
      issuedAt: now.toISOString(),
    });
    const mac = (await signer.sign(payload)).toString("base64url");
    const { emitted, deps: d } = deps();
    expect(
      (await handleUnsubscribe({ method: "POST", token: `${payload}.${mac}`, requestId: "r" }, d)).statusCode,
    ).toBe(200);
    expect(emitted[0]!.detail).toMatchObject({ customerId: "c-legacy", consent: { marketingSms: false } });
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const variant = `${mac.slice(0, -1)}${alphabet[alphabet.indexOf(mac.at(-1)!) ^ 1]}`;
    const forged = encodeLegacyPayload({
      customerId: "someone-else",
      channel: "sms",
      issuedAt: now.toISOString(),
    });
    for (const token of [
      `${payload}.${variant}`,
      `${forged}.${mac}`,
      `${payload}.${"A".repeat(43)}`,
      `${payload}`,
    ]) {
      expect((await handleUnsubscribe({ method: "POST", token, requestId: "r" }, d)).statusCode).toBe(403);
    }
    expect(emitted).toHaveLength(1);
  });
});

describe("KmsTokenSigner", () => {
  const kms = mockClient(KMSClient);
  afterEach(() => kms.reset());
  const signer = new KmsTokenSigner(new KMSClient({}), "alias/waymark-unsubscribe");

  it("signs with GenerateMac HMAC_SHA_256 on the configured key", async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array([1, 2, 3]) });
    expect(await signer.sign("payload")).toEqual(Buffer.from([1, 2, 3]));
    expect(kms).toHaveReceivedCommandWith(GenerateMacCommand, {
      KeyId: "alias/waymark-unsubscribe",
      MacAlgorithm: "HMAC_SHA_256",
      Message: Buffer.from("payload"),
    });
  });

  it("verifies with VerifyMac; an invalid MAC is false, other errors propagate", async () => {
    kms
      .on(VerifyMacCommand)
      .resolvesOnce({ MacValid: true })
      .rejectsOnce(new KMSInvalidMacException({ message: "invalid", $metadata: {} }))
      .rejectsOnce(new Error("KMS unavailable"));
    expect(await signer.verify("p", Buffer.from([1]))).toBe(true);
    expect(await signer.verify("p", Buffer.from([2]))).toBe(false);
    await expect(signer.verify("p", Buffer.from([3]))).rejects.toThrow("KMS unavailable");
  });

  it("derives the sealing key with one GenerateMac per process, however many links; a failed derivation is retried", async () => {
    kms
      .on(GenerateMacCommand)
      .rejectsOnce(new Error("KMS unavailable"))
      .resolves({ Mac: new Uint8Array(32).fill(7) });
    const kmsLinks = new UnsubscribeLinks(
      new KmsTokenSigner(new KMSClient({}), "alias/waymark-unsubscribe"),
      "https://unsub.example.com/u",
    );
    await expect(kmsLinks.url("c-1", "email", now)).rejects.toThrow("KMS unavailable");
    const urls = await Promise.all(["c-1", "c-2", "c-3"].map((id) => kmsLinks.url(id, "email", now)));
    const token = new URL(urls[0]!).searchParams.get("token")!;
    expect(await kmsLinks.verify(token, now)).toEqual({
      customerId: "c-1",
      channel: "email",
      issuedAt: now.toISOString(),
    });
    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(2);
    expect(kms).toHaveReceivedCommandWith(GenerateMacCommand, {
      KeyId: "alias/waymark-unsubscribe",
      MacAlgorithm: "HMAC_SHA_256",
      Message: Buffer.from("waymark/unsubscribe-links/sealing-key/v2"),
    });
    expect(kms.commandCalls(VerifyMacCommand)).toHaveLength(0);
  });
});
