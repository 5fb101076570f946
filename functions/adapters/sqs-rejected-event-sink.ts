import { createHash } from "node:crypto";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { ClaimCheck, ClaimCheckStore } from "../ports/claim-check-store.ts";
import type { RejectedEvent, RejectedEventSink } from "../ports/rejected-event-sink.ts";
import { SQS_MAX_BATCH_BYTES, sendInBatches, sqsEntryBytes } from "./sqs-batches.ts";

/** What a claim-check message keeps of the issues: enough to read why without opening the document. */
const CLAIM_CHECK_ISSUES = 20;

/**
 * A rejected event too large for a queue message, as the rejected queue holds it: the reason and the first
 * issues, the envelope's identity, and where the whole record (event included) is kept.
 */
export interface RejectedClaimCheckMessage {
  receivedAt: string;
  reason: string;
  issues: RejectedEvent["issues"];
  /** How many issues the whole record has. */
  issueCount: number;
  event: { id?: unknown; source?: unknown; "detail-type"?: unknown };
  claimCheck: ClaimCheck;
}

/**
 * Rejected events wait on their own queue (14 days) with the reason beside the original, so an
 * operator can read why, fix the producer, and replay them with `waymark send`. A record too large for
 * a message (an event near EventBridge's 256 KB limit with its reasons around it) is kept whole in the
 * claim-check store, and the message says where: nothing is lost because it was big.
 */
export class SqsRejectedEventSink implements RejectedEventSink {
  readonly #client: SQSClient;
  readonly #queueUrl: string;
  readonly #claimChecks: ClaimCheckStore | undefined;

  constructor(client: SQSClient, queueUrl: string, claimChecks?: ClaimCheckStore) {
    this.#client = client;
    this.#queueUrl = queueUrl;
    this.#claimChecks = claimChecks;
  }

  async reject(events: readonly RejectedEvent[]): Promise<void> {
    const bodies = await Promise.all(events.map((event) => this.#body(event)));
    const failed = await sendInBatches(this.#client, this.#queueUrl, events, (event, index) => ({
      MessageBody: bodies[index]!,
      MessageAttributes: {
        reason: { DataType: "String", StringValue: event.reason.slice(0, 1000) || "invalid" },
      },
    }));
    if (failed.length > 0) throw new Error(`could not keep ${failed.length} rejected event(s); will retry`);
  }

  /** The record itself when it fits a message; otherwise a claim check for it. */
  async #body(event: RejectedEvent): Promise<string> {
    const whole = JSON.stringify(event);
    // Room for the reason attribute (≤ 1,000 characters of up to 4 bytes) beside the body.
    if (sqsEntryBytes({ MessageBody: whole }) <= SQS_MAX_BATCH_BYTES - 4_100 || !this.#claimChecks)
      return whole;
    // The same record gets the same key: a retried batch overwrites its own document, never adds one.
    const digest = createHash("sha256").update(whole).digest("base64url").slice(0, 32);
    const key = `rejected/${event.receivedAt.slice(0, 10)}/${digest}.json`;
    const claimCheck = await this.#claimChecks.put(key, whole);
    const envelope = (typeof event.event === "object" && event.event !== null ? event.event : {}) as Record<
      string,
      unknown
    >;
    const message: RejectedClaimCheckMessage = {
      receivedAt: event.receivedAt,
      reason: event.reason.slice(0, 2_000),
      issues: event.issues.slice(0, CLAIM_CHECK_ISSUES).map((issue) => ({
        path: issue.path.slice(0, 500),
        message: issue.message.slice(0, 500),
      })),
      issueCount: event.issues.length,
      event: {
        ...(typeof envelope.id === "string" ? { id: envelope.id.slice(0, 200) } : {}),
        ...(typeof envelope.source === "string" ? { source: envelope.source.slice(0, 256) } : {}),
        ...(typeof envelope["detail-type"] === "string"
          ? { "detail-type": envelope["detail-type"].slice(0, 256) }
          : {}),
      },
      claimCheck,
    };
    return JSON.stringify(message);
  }
}
