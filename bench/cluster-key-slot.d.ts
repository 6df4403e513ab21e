// Types for `cluster-key-slot` (ioredis' own dependency; it ships none), which the peers' cluster
// adapters use to group a batch per node the way their users do (bench/cluster-clients.ts).
declare module 'cluster-key-slot' {
  /** The cluster slot (0-16383) of a key, hash tags included. */
  function calculateSlot(key: string | Buffer): number;
  export = calculateSlot;
}
