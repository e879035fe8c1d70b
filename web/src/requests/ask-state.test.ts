import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client.ts";
import {
  ASKED_AGAIN,
  INITIAL_ASK,
  askReducer,
  failureOf,
  ownersOf,
  type AskState,
  type SentRequest,
} from "./ask-state.ts";

const request: SentRequest = { org: "acme", text: "Turn the cache off", fanOut: false };
const asking = (): AskState =>
  askReducer(askReducer(INITIAL_ASK, { type: "sent", request }), {
    type: "asked",
    question: "Staging or production?",
    candidates: ["staging", "production"],
  });

describe("askReducer", () => {
  it("keeps the request as sent while asking which space is meant", () => {
    expect(asking()).toEqual({
      step: "asking",
      request,
      question: "Staging or production?",
      candidates: ["staging", "production"],
      choosing: null,
      failure: null,
    });
  });

  it("opens one space at a time once the person chooses", () => {
    const chosen = askReducer(asking(), { type: "chose", space: "staging" });
    expect(chosen).toMatchObject({ step: "asking", choosing: "staging" });
    expect(askReducer(chosen, { type: "chose", space: "production" })).toBe(chosen);
  });

  it("stays on the question when opening the chosen space fails, so another can be chosen", () => {
    const chosen = askReducer(asking(), { type: "chose", space: "staging" });
    const failure = { message: "No space named staging", guideOrg: "acme" };
    expect(askReducer(chosen, { type: "failed", failure })).toMatchObject({
      step: "asking",
      choosing: null,
      failure,
    });
  });

  it("does not ask a second time", () => {
    const chosen = askReducer(asking(), { type: "chose", space: "staging" });
    const again = askReducer(chosen, { type: "asked", question: "Which?", candidates: [] });
    expect(again).toMatchObject({
      step: "asking",
      question: "Staging or production?",
      choosing: null,
      failure: { message: ASKED_AGAIN },
    });
  });

  it("returns to writing with the failure when routing fails", () => {
    const routing = askReducer(INITIAL_ASK, { type: "sent", request });
    const failure = { message: "Tandem cannot be reached.", guideOrg: null };
    expect(askReducer(routing, { type: "failed", failure })).toEqual({
      step: "writing",
      failure,
    });
  });

  it("goes back to writing when the person edits the request", () => {
    expect(askReducer(asking(), { type: "edit" })).toEqual(INITIAL_ASK);
  });
});

describe("failureOf", () => {
  it("links the organisation's guide when the guide or space is missing", () => {
    const missing = new ApiError("not_found", "acme has no routing guide yet", 404);
    expect(failureOf(missing, "acme")).toEqual({
      message: "acme has no routing guide yet",
      guideOrg: "acme",
    });
  });

  it("shows other failures without a link", () => {
    const down = new ApiError("network", "Tandem cannot be reached.", 0);
    expect(failureOf(down, "acme")).toEqual({
      message: "Tandem cannot be reached.",
      guideOrg: null,
    });
  });
});

describe("ownersOf", () => {
  it("lists each owner once, in the order first seen", () => {
    expect(ownersOf(["acme/api", "acme/shop", "zeta/web", "acme/docs"])).toEqual(["acme", "zeta"]);
  });
});
