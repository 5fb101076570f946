import { stableId } from "../core/ids.ts";

/**
 * Keys of the owner index and the fan-out checkpoints, in the same single table (see table.ts).
 *
 *   pk = OWNER#<model>#<shard>      sk = <customerId>#<orderId>    who owns a model (orders minus returns)
 *   pk = FANOUT#<kind>#<noticeId>   sk = CHECKPOINT                how far a recall's fan-out has got
 *
 * A popular model has a million owners: its index is spread over 16 partitions so neither the
 * writes (one per order) nor the fan-out's reads hit one partition's throughput limit.
 */
export const OWNER_SHARDS = 16;

export const ownerIndexKeys = {
  shardOf: (customerId: string): number => stableId(customerId).charCodeAt(0) % OWNER_SHARDS,
  partition: (model: string, shard: number) => `OWNER#${model}#${shard}`,
  owner: (model: string, customerId: string, orderId: string) => ({
    pk: `OWNER#${model}#${ownerIndexKeys.shardOf(customerId)}`,
    sk: `${customerId}#${orderId}`,
  }),
  checkpoint: (kind: string, noticeId: string) => ({ pk: `FANOUT#${kind}#${noticeId}`, sk: "CHECKPOINT" }),
};
