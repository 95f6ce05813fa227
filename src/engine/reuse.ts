/**
 * Whether per-object results are kept for a later lint run. The language server turns it on
 * (`LoadCache`): there an edit hands most model objects (resources, applied copies,
 * containers) unchanged to the next run, and what a rule or index derived from one object
 * alone can be found again by that object (WeakMaps keyed by it, checked against whatever else
 * the result depends on, such as the applied namespace). A single run (the CLI) never finds
 * anything again, so it keeps nothing.
 */
export const reuse = { enabled: false };
