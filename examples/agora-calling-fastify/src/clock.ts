/** The app's clock. Every stored time comes from it (never the database's now()), so tests can move time. */
export type Clock = () => Date

export const systemClock: Clock = () => new Date()
