import type { NoticeInput } from "../core/engine.ts";
import { messageGroupIdFor, stableId } from "../core/ids.ts";
import { type FanOutJob, noticeMessage } from "../messages/queue-messages.ts";
import type { AudienceLists } from "../ports/audience-lists.ts";
import type { EngineQueue } from "../ports/engine-queue.ts";
import type { FanOutCheckpoint, FanOutCheckpoints } from "../ports/fan-out-checkpoints.ts";
import type { OwnerIndex } from "../ports/owner-index.ts";
import type { WorkQueue } from "../ports/work-queue.ts";

export interface FanOutDependencies {
  owners: OwnerIndex;
  checkpoints: FanOutCheckpoints;
  engineQueue: EngineQueue;
  /** Where the job goes back when this invocation's time is up. */
  workQueue: WorkQueue;
  clock: () => Date;
  /** Milliseconds this invocation may still use (Lambda's getRemainingTimeInMillis). */
  remainingMs: () => number;
  pageSize?: number;
  /**
   * The sending rate the catalog sets (the slowest channel's messages per second): pages are queued no
   * faster than owners can be messaged, so a million-owner recall stays inside the account's SMS quota
   * rather than piling throttled messages on the notifier. Absent: as fast as the queue takes them.
   */
  ownersPerSecond?: number;
  /** Where audience lists are read (S3, or files locally); absent: audience entries are refused. */
  audiences?: AudienceLists;
}

/** Stop well before the Lambda timeout: a page's enqueue and the checkpoint must both fit. */
export const STOP_WHEN_REMAINING_MS = 20_000;
export const DEFAULT_PAGE_SIZE = 500;

/**
 * Fans a recall or travel restriction out to every owner of its models, page by page through the
 * owner index (never a scan). Each page is handed to the engine queue, one message per owner in
 * the owner's own group, then the checkpoint moves on. When time runs short the job re-queues
 * itself and the next invocation resumes at the checkpoint; after a crash, SQS redelivers the job
 * and it resumes the same way. A page may then be queued twice: the FIFO deduplication id and the
 * engine's memory of processed inputs make the second copy change nothing, so nobody is notified twice.
 */
export async function fanOutNotice(job: FanOutJob, deps: FanOutDependencies): Promise<FanOutCheckpoint> {
  const pageSize = deps.pageSize ?? DEFAULT_PAGE_SIZE;
  return fanOutPages(job, deps, {
    next: async (checkpoint) => {
      const page = await deps.owners.page(
        job.models,
        checkpoint.cursor ?? { modelIndex: 0, shard: 0 },
        pageSize,
      );
      return {
        customers: page.owners.map((owner) => owner.customerId),
        resume: page.next ? { cursor: page.next } : {},
        done: !page.next,
      };
    },
    notice: (customerId) => noticeMessage(job, customerId),
  });
}

/** One page of the customers a fan-out reaches, and what its checkpoint keeps to resume after it. */
export interface CustomerPage {
  customers: readonly string[];
  resume: Pick<FanOutCheckpoint, "cursor" | "offset" | "skipped">;
  /** Nothing is left after this page. */
  done: boolean;
}

/** Where a fan-out finds its customers (the owner index, an audience list) and the notice each one gets. */
export interface CustomerPages {
  next(checkpoint: FanOutCheckpoint): Promise<CustomerPage>;
  notice(customerId: string): NoticeInput;
}

/**
 * The paged, checkpointed, resumable loop every fan-out runs, whatever its customers come from: a page is
 * queued (one engine message per customer, in the customer's FIFO group, deduplicated by notice and
 * customer), then the checkpoint saved; the job re-queues itself before the invocation's time is up, and
 * waits on the queue between pages when the catalog sets a sending rate.
 */
export async function fanOutPages(
  job: FanOutJob,
  deps: FanOutDependencies,
  pages: CustomerPages,
): Promise<FanOutCheckpoint> {
  let checkpoint: FanOutCheckpoint = (await deps.checkpoints.load(job.detailType, job.noticeId)) ?? {
    queued: 0,
    pages: 0,
    done: false,
    updatedAt: deps.clock().toISOString(),
  };
  while (!checkpoint.done) {
    if (deps.remainingMs() < STOP_WHEN_REMAINING_MS) {
      await deps.workQueue.send([job]);
      return checkpoint;
    }
    // Paced: the next page waits on the queue (SQS DelaySeconds), not in a billed function.
    const waitMs = checkpoint.nextPageAt ? Date.parse(checkpoint.nextPageAt) - deps.clock().getTime() : 0;
    if (waitMs > 0) {
      await deps.workQueue.send([job], { delaySeconds: Math.min(900, Math.ceil(waitMs / 1000)) });
      return checkpoint;
    }
    const page = await pages.next(checkpoint);
    const customers = [...new Set(page.customers)];
    if (customers.length > 0) {
      const { failed } = await deps.engineQueue.enqueue(
        customers.map((customerId) => ({
          groupId: messageGroupIdFor(customerId),
          deduplicationId: stableId(job.detailType, job.noticeId, customerId),
          body: pages.notice(customerId),
        })),
      );
      if (failed.length > 0)
        throw new Error(`${failed.length} customer(s) could not be queued; the page will be retried`);
    }
    const now = deps.clock();
    checkpoint = {
      ...page.resume,
      queued: checkpoint.queued + customers.length,
      pages: checkpoint.pages + 1,
      done: page.done,
      updatedAt: now.toISOString(),
      startedAt: checkpoint.startedAt ?? now.toISOString(),
      ...(deps.ownersPerSecond
        ? {
            nextPageAt: new Date(
              now.getTime() + (customers.length / deps.ownersPerSecond) * 1000,
            ).toISOString(),
          }
        : {}),
    };
    await deps.checkpoints.save(job.detailType, job.noticeId, checkpoint);
  }
  return checkpoint;
}

/**
 * When everything queued so far will have been messaged at the paced rate: the fan-out's ETA for what it
 * has found (it learns the total only when the last page is queued).
 */
export function fanOutEta(
  checkpoint: FanOutCheckpoint,
  ownersPerSecond: number | undefined,
): string | undefined {
  if (!ownersPerSecond || !checkpoint.startedAt) return undefined;
  return new Date(
    Date.parse(checkpoint.startedAt) + (checkpoint.queued / ownersPerSecond) * 1000,
  ).toISOString();
}

export type { FanOutJob };
