// A session room over a Durable Object's real storage, with quiet defaults for what a test leaves out.
import { drizzle } from "drizzle-orm/durable-sqlite";
import { SessionRoom, type RoomDeps } from "../../durable-objects/session/room.ts";
import * as schema from "../../durable-objects/session/session.sql.ts";
import { SessionStore } from "../../durable-objects/session/store.ts";

/** Builds the room the object would build, over `state`'s storage. */
export function testRoom(state: DurableObjectState, overrides: Partial<RoomDeps> = {}) {
  const store = new SessionStore(drizzle(state.storage, { schema }));
  const room = new SessionRoom({
    store,
    hub: { all: () => [] },
    now: () => Date.now(),
    runner: null,
    index: { setStatus: async () => {} },
    setAlarm: () => {},
    log: () => {},
    prewarm: () => {},
    sandboxes: {
      provider: null,
      repository: async () => null,
      pool: () => ({
        status: async () => ({ repo: null, currentImageId: null, building: null, warm: 0 }),
        claim: async () => null,
      }),
    },
    background: () => {},
    ...overrides,
  });
  return { room, store };
}
