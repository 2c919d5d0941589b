/** The plain-row lane's worker (plain-csv-worker.ts), named apart so that a warm start loads none of the lane. */
export const LANE_WORKER = new URL('./plain-csv-worker.js', import.meta.url)
