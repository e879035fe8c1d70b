// What the "Ask the organisation" form shows: the request being written, the request being routed,
// or the one question Tandem asks when it cannot tell the space; a pure reducer over what the
// person does and what the API answers.
import { ApiError, messageOf } from "../api/client.ts";

/** A request as it was sent; choosing a space resends exactly this. */
export interface SentRequest {
  org: string;
  text: string;
  fanOut: boolean;
}

/** A failure to show, and the organisation whose routing guide to link when it is missing. */
export interface AskFailure {
  message: string;
  guideOrg: string | null;
}

/** The form's step. */
export type AskState =
  | { step: "writing"; failure: AskFailure | null }
  | { step: "routing"; request: SentRequest }
  | {
      step: "asking";
      request: SentRequest;
      question: string;
      /** The spaces Tandem hesitates between; empty when any space of the guide may be meant. */
      candidates: string[];
      /** The space whose session is being opened, or null while the person decides. */
      choosing: string | null;
      failure: AskFailure | null;
    };

/** What happened. */
export type AskEvent =
  | { type: "sent"; request: SentRequest }
  | { type: "asked"; question: string; candidates: string[] }
  | { type: "chose"; space: string }
  | { type: "failed"; failure: AskFailure }
  | { type: "edit" };

/** The form before anything is sent. */
export const INITIAL_ASK: AskState = { step: "writing", failure: null };

/** Shown if Tandem asks again after the person chose: the person is asked only once. */
export const ASKED_AGAIN =
  "Tandem still cannot tell where this goes. Start a session on a repository instead.";

/** The state after `event`. */
export function askReducer(state: AskState, event: AskEvent): AskState {
  switch (event.type) {
    case "sent":
      return { step: "routing", request: event.request };
    case "asked":
      if (state.step === "routing")
        return {
          step: "asking",
          request: state.request,
          question: event.question,
          candidates: event.candidates,
          choosing: null,
          failure: null,
        };
      if (state.step === "asking")
        return { ...state, choosing: null, failure: { message: ASKED_AGAIN, guideOrg: null } };
      return state;
    case "chose":
      return state.step === "asking" && state.choosing === null
        ? { ...state, choosing: event.space, failure: null }
        : state;
    case "failed":
      return state.step === "asking"
        ? { ...state, choosing: null, failure: event.failure }
        : { step: "writing", failure: event.failure };
    case "edit":
      return { step: "writing", failure: null };
    default:
      event satisfies never;
      return state;
  }
}

/** The failure to show for a thrown value; a missing guide or space links the guide of `org`. */
export function failureOf(error: unknown, org: string): AskFailure {
  const missing = error instanceof ApiError && error.code === "not_found";
  return { message: messageOf(error), guideOrg: missing ? org : null };
}

/** The owners of `repos` ("owner/name"), each once, in first-seen order. */
export function ownersOf(repos: readonly string[]): string[] {
  return [...new Set(repos.map((repo) => repo.split("/")[0]!))];
}
