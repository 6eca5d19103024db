/**
 * The single table's shape: keys, TTL attribute, indexes and the number of agenda shards. The
 * data layer (shared/adapters/dynamodb) builds its keys on it; infra/resources.ts re-exports it
 * so the CDK app and the local stack create exactly this table.
 */

/** Number of agenda shards: spreads due work over several GSI partitions to avoid a hot key. */
export const AGENDA_SHARDS = 8;

export const table = {
  id: 'Table',
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    /** Sparse: only items with a pending action carry gsi1pk (`AGENDA#<shard>`) and gsi1sk (the instant). */
    agenda: { name: 'agenda', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** A customer's plans and notices, newest first. */
    byCustomer: { name: 'byCustomer', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /**
     * Sparse: only succeeded repayment records, by provider and UTC day of the record
     * (`recon#<provider>#<YYYY-MM-DD>`, then `<createdAt>#<id>`), for the daily reconciliation;
     * and support cases in the inbox partition (`support#inbox`, then `<queue>#<updatedAt>`).
     */
    reconciliation: { name: 'reconciliation', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /**
     * Every customer's plans by status (`status#<status>`, then `plan#<createdAt>#<planId>`),
     * newest first, for the operators' search. Unsharded: see docs/scale.md for its write rate.
     */
    byStatus: { name: 'byStatus', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
  },
} as const;
