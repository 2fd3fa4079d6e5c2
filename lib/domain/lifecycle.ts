/**
 * The API lifecycle as a pure transition table. Services, route handlers and the UI all ask
 * it what an action does and what is allowed next; the gateway snapshot reads the states.
 */
export const LIFECYCLE_STATES = ["CREATED", "PROTOTYPED", "PUBLISHED", "BLOCKED", "DEPRECATED", "RETIRED"] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export const LIFECYCLE_ACTIONS = ["publish", "prototype", "block", "unblock", "deprecate", "retire", "demote-to-created"] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** state → action → next state. A missing entry is an invalid transition. */
export const LIFECYCLE_TRANSITIONS: Readonly<Record<LifecycleState, Partial<Record<LifecycleAction, LifecycleState>>>> = {
  CREATED: { publish: "PUBLISHED", prototype: "PROTOTYPED" },
  PROTOTYPED: { publish: "PUBLISHED", "demote-to-created": "CREATED" },
  PUBLISHED: { block: "BLOCKED", deprecate: "DEPRECATED", "demote-to-created": "CREATED" },
  BLOCKED: { unblock: "PUBLISHED", deprecate: "DEPRECATED" },
  DEPRECATED: { retire: "RETIRED" },
  RETIRED: {},
};

export const LIFECYCLE_ACTION_LABELS: Record<LifecycleAction, string> = {
  publish: "Publish",
  prototype: "Deploy as prototype",
  block: "Block",
  unblock: "Unblock",
  deprecate: "Deprecate",
  retire: "Retire",
  "demote-to-created": "Demote to created",
};

export const LIFECYCLE_STATE_DESCRIPTIONS: Record<LifecycleState, string> = {
  CREATED: "Being designed; not visible to consumers.",
  PROTOTYPED: "Visible for trying out; no subscriptions needed.",
  PUBLISHED: "Listed in the developer portal; consumers can subscribe.",
  BLOCKED: "Temporarily unavailable: calls are refused, subscriptions are kept.",
  DEPRECATED: "Still served, but takes no new subscriptions.",
  RETIRED: "Withdrawn everywhere. This is final.",
};

export function isLifecycleState(value: unknown): value is LifecycleState {
  return typeof value === "string" && (LIFECYCLE_STATES as readonly string[]).includes(value);
}

export function isLifecycleAction(value: unknown): value is LifecycleAction {
  return typeof value === "string" && (LIFECYCLE_ACTIONS as readonly string[]).includes(value);
}

export function allowedActions(state: LifecycleState): LifecycleAction[] {
  return LIFECYCLE_ACTIONS.filter((a) => LIFECYCLE_TRANSITIONS[state][a] !== undefined);
}

/** The state an action leads to, or null when the action is not allowed in this state. */
export function nextState(state: LifecycleState, action: LifecycleAction): LifecycleState | null {
  return LIFECYCLE_TRANSITIONS[state][action] ?? null;
}

/** Published and deprecated APIs show in the developer portal. */
export function isVisibleInCatalog(state: LifecycleState): boolean {
  return state === "PUBLISHED" || state === "DEPRECATED";
}

/**
 * Whether publishing needs a revision deployed to at least one gateway environment. Decided:
 * not yet, because there is no deployment engine to deploy one; publishing makes the API
 * visible in the catalog and nothing more. When deployments exist, flip this to true: the
 * service then refuses publishing without a deployed revision and the UI says so.
 */
export const PUBLISH_REQUIRES_DEPLOYED_REVISION = false;

/** Why an action may not run now although the table allows it; null when it may. */
export function transitionPrecondition(action: LifecycleAction, facts: { deployedRevisions: number }): string | null {
  if ((action === "publish" || action === "unblock") && PUBLISH_REQUIRES_DEPLOYED_REVISION && facts.deployedRevisions === 0) {
    return "Deploy a revision to at least one gateway environment before publishing.";
  }
  return null;
}
