import { describe, expect, it } from "vitest";
import { defineJourney, ref } from "../../../functions/core/journey/define-journey.ts";
import { countJourney, dominatorsOf, mainPathFunnel } from "../../../infra/local/console/journey-counts.ts";
import { postPurchaseV1 } from "../../../journeys/post-purchase/journey.ts";

/** A journey whose two branches send the same template and meet again before the end. */
const diamond = defineJourney({
  id: "diamond",
  version: 1,
  description: "two ways to the same message",
  entry: { event: "OrderPlaced", key: ref("event.orderId"), capture: {} },
  exitOn: [
    { event: "OrderReturned", when: { op: "exists", value: ref("event.orderId") }, outcome: "returned" },
  ],
  start: "split",
  nodes: {
    split: {
      type: "branch",
      cases: [{ when: { op: "exists", value: ref("vars.x") }, next: "left" }],
      otherwise: "right",
    },
    left: { type: "send", template: "t.hello", priority: "service", vars: {}, why: [], next: "join" },
    right: { type: "send", template: "t.hello", priority: "service", vars: {}, why: [], next: "join" },
    join: { type: "wait", duration: "P1D", next: "done" },
    done: { type: "exit", outcome: "returned" },
  },
});

describe("journey counts", () => {
  it("finds the nodes on every path to a node", () => {
    const dominators = dominatorsOf(postPurchaseV1);
    expect([...dominators.get("send-followup")!].sort()).toEqual(
      [
        "assign-survey",
        "await-answer",
        "escalate",
        "score",
        "send-followup",
        "send-survey",
        "send-tips",
        "wait-for-survey",
        "wait-for-tips",
      ].sort(),
    );
    expect([...dominatorsOf(diamond).get("join")!].sort()).toEqual(["join", "split"]);
  });

  it("counts what the facts prove, and nothing they do not", () => {
    const counts = countJourney(postPurchaseV1, [
      {
        waitingAt: "await-answer",
        templates: ["post-purchase.tips", "post-purchase.nps-survey"],
        emitted: [],
      },
      { templates: ["post-purchase.tips"], emitted: [], outcome: "order-returned" },
      {
        templates: ["post-purchase.tips", "post-purchase.nps-survey", "post-purchase.detractor-followup"],
        emitted: ["AgentEscalationRequested"],
        outcome: "detractor-followed-up",
      },
    ]);
    expect(counts.entered).toBe(3);
    expect(counts.active).toBe(1);
    expect(counts.outcomes).toEqual({ "order-returned": 1, "detractor-followed-up": 1 });
    expect(counts.nodes["await-answer"]).toEqual({ waiting: 1, reached: 2 });
    expect(counts.nodes["send-tips"]!.reached).toBe(3);
    // The returned order left from somewhere after the tips: where exactly is not known, so not counted.
    expect(counts.nodes["wait-for-survey"]!.reached).toBe(2);
    expect(counts.nodes["done-detractor"]!.reached).toBe(1);
    expect(counts.nodes["ask-for-review"]!.reached).toBe(0);
  });

  it("counts a template two nodes send as reaching only what both paths share", () => {
    const counts = countJourney(diamond, [
      { templates: ["t.hello"], emitted: [] },
      { waitingAt: "join", templates: ["t.hello"], emitted: [] },
    ]);
    expect(counts.nodes.split!.reached).toBe(2);
    expect(counts.nodes.left!.reached).toBe(0);
    expect(counts.nodes.right!.reached).toBe(0);
    expect(counts.nodes.join).toEqual({ waiting: 1, reached: 1 });
    // "returned" is also an exitOn outcome: it does not prove the exit node was reached.
    const returned = countJourney(diamond, [{ templates: [], emitted: [], outcome: "returned" }]);
    expect(returned.nodes.done!.reached).toBe(0);
    expect(returned.outcomes).toEqual({ returned: 1 });
  });

  it("walks the funnel along the most-reached successor, leaving out bookkeeping nodes", () => {
    const counts = countJourney(postPurchaseV1, [
      {
        templates: ["post-purchase.tips", "post-purchase.nps-survey", "post-purchase.review-request"],
        emitted: [],
        outcome: "promoter-asked-for-review",
      },
      {
        templates: ["post-purchase.tips", "post-purchase.nps-survey", "post-purchase.review-request"],
        emitted: [],
        outcome: "promoter-asked-for-review",
      },
      { waitingAt: "wait-for-survey", templates: ["post-purchase.tips"], emitted: [] },
    ]);
    expect(mainPathFunnel(postPurchaseV1, counts).map((s) => [s.node, s.reached, s.waiting])).toEqual([
      ["wait-for-tips", 3, 0],
      ["send-tips", 3, 0],
      ["wait-for-survey", 3, 1],
      ["send-survey", 2, 0],
      ["await-answer", 2, 0],
      ["ask-for-review", 2, 0],
      ["done-promoter", 2, 0],
    ]);
  });
});
