// Webhook deliveries: each payload checked against GitHub's description, signed with the webhook
// secret, POSTed to the configured URL one at a time in order, and recorded with its answer.
import { createHmac, randomUUID } from "node:crypto";
import type { Description } from "../description/validator.ts";
import type { Records } from "../records.ts";

/** GitHub gives up on a delivery after ten seconds. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** The id of the App's webhook, sent as `X-GitHub-Hook-ID`. */
export const HOOK_ID = 1;

/** One attempt to deliver an event. A redelivery is a new attempt with the same `guid`. */
export interface Delivery {
  /** Counts attempts from 1. */
  seq: number;
  /** `X-GitHub-Delivery`: the same for an event's redeliveries. */
  guid: string;
  event: string;
  action: string | null;
  payload: Record<string, unknown>;
  redelivery: boolean;
  /** Where it was sent; null when no URL was configured (then it was not sent). */
  url: string | null;
  /** The receiver's HTTP status; null while pending, or when it failed or was not sent. */
  status: number | null;
  /** Why it failed (a connection error, a timeout, no URL), or null. */
  error: string | null;
  /** "pending" until the attempt ends. */
  state: "pending" | "delivered" | "failed";
  createdAt: number;
  durationMs: number | null;
}

/** The signature headers of a body. */
export function signatureHeaders(secret: string, body: string): Record<string, string> {
  return {
    "x-hub-signature": `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`,
    "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
  };
}

/** The delivery queue. */
export interface Deliveries {
  /** Checks and queues an event; a payload the description refuses is recorded and not sent. */
  send(event: string, payload: Record<string, unknown>): Delivery | null;
  /** Sends an earlier event again with the same guid. */
  redeliver(guid: string): Delivery;
  list(): Delivery[];
  /** Resolves once every queued delivery has ended. */
  idle(): Promise<void>;
  url(): string | null;
  setUrl(url: string | null): void;
  clear(): void;
  /** Abandons deliveries in flight and refuses new ones. */
  close(): void;
}

/** Deliveries for the App with `appId`, signed with `secret()`. */
export function createDeliveries(options: {
  appId: number;
  secret: () => string;
  url: string | null;
  description: Description;
  records: Records;
  log: (line: string) => void;
}): Deliveries {
  let url = options.url;
  let entries: Delivery[] = [];
  let seq = 0;
  let queue: Promise<void> = Promise.resolve();
  const closing = new AbortController();

  async function attempt(delivery: Delivery): Promise<void> {
    if (closing.signal.aborted) {
      Object.assign(delivery, { state: "failed", error: "the stand-in stopped", durationMs: 0 });
      return;
    }
    if (!delivery.url) {
      Object.assign(delivery, {
        state: "failed",
        error: "no webhook URL is configured",
        durationMs: 0,
      });
      return;
    }
    const body = JSON.stringify(delivery.payload);
    const started = performance.now();
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/stand-in",
          "x-github-event": delivery.event,
          "x-github-delivery": delivery.guid,
          "x-github-hook-id": String(HOOK_ID),
          "x-github-hook-installation-target-type": "integration",
          "x-github-hook-installation-target-id": String(options.appId),
          ...signatureHeaders(options.secret(), body),
        },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(DELIVERY_TIMEOUT_MS), closing.signal]),
      });
      await response.arrayBuffer().catch(() => undefined);
      delivery.status = response.status;
      delivery.state = response.ok ? "delivered" : "failed";
      if (!response.ok) delivery.error = `the receiver answered ${response.status}`;
    } catch (error) {
      delivery.state = "failed";
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    delivery.durationMs = performance.now() - started;
    options.log(
      `github stand-in: webhook ${delivery.event}${delivery.action ? `.${delivery.action}` : ""} ${delivery.guid} → ${delivery.status ?? delivery.error}`,
    );
  }

  function enqueue(
    fields: Pick<Delivery, "guid" | "event" | "action" | "payload" | "redelivery">,
  ): Delivery {
    const delivery: Delivery = {
      seq: ++seq,
      ...fields,
      url,
      status: null,
      error: null,
      state: "pending",
      createdAt: Date.now(),
      durationMs: null,
    };
    entries.push(delivery);
    queue = queue.then(() => attempt(delivery));
    return delivery;
  }

  return {
    send(event, payload) {
      const action = typeof payload.action === "string" ? payload.action : null;
      const problems = options.description.checkWebhook(event, action ?? undefined, payload);
      if (problems.length > 0) {
        options.records.violation("webhook", `${event}${action ? `.${action}` : ""}`, problems);
        return null;
      }
      return enqueue({ guid: randomUUID(), event, action, payload, redelivery: false });
    },
    redeliver(guid) {
      const original = entries.find((entry) => entry.guid === guid);
      if (!original) throw new Error(`github stand-in: no delivery ${guid}`);
      const { event, action, payload } = original;
      return enqueue({ guid, event, action, payload, redelivery: true });
    },
    list: () => structuredClone(entries),
    idle: async () => {
      let seen: Promise<void> | undefined;
      while (seen !== queue) {
        seen = queue;
        await queue;
      }
    },
    url: () => url,
    setUrl(next) {
      url = next;
    },
    clear() {
      entries = [];
    },
    close() {
      closing.abort();
    },
  };
}
