import { describe, expect, it } from "vitest";
import {
  allowedActions,
  isLifecycleAction,
  isVisibleInCatalog,
  LIFECYCLE_ACTIONS,
  LIFECYCLE_STATES,
  LIFECYCLE_TRANSITIONS,
  nextState,
  PUBLISH_REQUIRES_DEPLOYED_REVISION,
  transitionPrecondition,
  type LifecycleAction,
  type LifecycleState,
} from "./lifecycle";

describe("lifecycle table", () => {
  const cases: Array<[LifecycleState, LifecycleAction, LifecycleState | null]> = [
    ["CREATED", "publish", "PUBLISHED"],
    ["CREATED", "prototype", "PROTOTYPED"],
    ["CREATED", "deprecate", null],
    ["CREATED", "retire", null],
    ["PROTOTYPED", "publish", "PUBLISHED"],
    ["PROTOTYPED", "demote-to-created", "CREATED"],
    ["PROTOTYPED", "block", null],
    ["PUBLISHED", "block", "BLOCKED"],
    ["PUBLISHED", "deprecate", "DEPRECATED"],
    ["PUBLISHED", "demote-to-created", "CREATED"],
    ["PUBLISHED", "publish", null],
    ["PUBLISHED", "retire", null],
    ["BLOCKED", "unblock", "PUBLISHED"],
    ["BLOCKED", "deprecate", "DEPRECATED"],
    ["BLOCKED", "publish", null],
    ["DEPRECATED", "retire", "RETIRED"],
    ["DEPRECATED", "publish", null],
    ["RETIRED", "publish", null],
    ["RETIRED", "demote-to-created", null],
  ];
  it.each(cases)("%s --%s--> %s", (from, action, to) => {
    expect(nextState(from, action)).toBe(to);
  });

  it("lists the allowed actions of every state in a stable order, and retired is final", () => {
    expect(allowedActions("CREATED")).toEqual(["publish", "prototype"]);
    expect(allowedActions("PUBLISHED")).toEqual(["block", "deprecate", "demote-to-created"]);
    expect(allowedActions("RETIRED")).toEqual([]);
    for (const state of LIFECYCLE_STATES) {
      for (const action of allowedActions(state)) expect(LIFECYCLE_STATES).toContain(nextState(state, action));
    }
  });

  it("reaches every state from CREATED and never leaves RETIRED", () => {
    const seen = new Set<LifecycleState>(["CREATED"]);
    const queue: LifecycleState[] = ["CREATED"];
    while (queue.length) {
      const state = queue.shift()!;
      for (const to of Object.values(LIFECYCLE_TRANSITIONS[state])) {
        if (to && !seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...LIFECYCLE_STATES].sort());
    expect(Object.keys(LIFECYCLE_TRANSITIONS.RETIRED)).toHaveLength(0);
  });

  it("knows its actions and which states the catalog shows", () => {
    expect(LIFECYCLE_ACTIONS.every(isLifecycleAction)).toBe(true);
    expect(isLifecycleAction("destroy")).toBe(false);
    expect(LIFECYCLE_STATES.filter(isVisibleInCatalog)).toEqual(["PUBLISHED", "DEPRECATED"]);
  });

  it("does not require a deployed revision to publish (no deployment engine yet)", () => {
    expect(PUBLISH_REQUIRES_DEPLOYED_REVISION).toBe(false);
    expect(transitionPrecondition("publish", { deployedRevisions: 0 })).toBeNull();
    expect(transitionPrecondition("deprecate", { deployedRevisions: 0 })).toBeNull();
  });
});
