// Routes under /api/sessions: create, list, read, prompt, stop, share, join, leave and remove,
// previews and the live socket.
import { Hono } from "hono";
import { z } from "zod";
import {
  CreateSessionBodySchema,
  CreateShareLinkBodySchema,
  EventsQuerySchema,
  JoinBodySchema,
  ParticipantPathSchema,
  PromptBodySchema,
  SessionSettingsBodySchema,
} from "../../protocol/api.ts";
import { TandemError } from "../../protocol/errors.ts";
import { StartRunBodySchema } from "../../protocol/pipelines.ts";
import { PERSON_HEADER } from "../../durable-objects/session/session-object.ts";
import { requireUser, sameOrigin } from "../auth/middleware.ts";
import { requireRepositoryAccess } from "../github/access.ts";
import { jsonBody, orThrow, parse, type AppEnv } from "../http.ts";
import { personOf } from "../users/users.ts";
import { openSession } from "./open-session.ts";
import { closePreview, exposePreview, listPreviews } from "../previews/routes.ts";
import { dropMember, indexMember, listSessionsOf, sessionExists } from "./directory.ts";
import { participantStub, sessionIdOf } from "./participant.ts";

const ListQuerySchema = z.object({ q: z.string().trim().max(200).optional() });

/** The /api/sessions routes. */
export const sessionRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .post("/", async (c) => {
    const body = await jsonBody(c, CreateSessionBodySchema);
    await requireRepositoryAccess(c.var.deps, c.var.user.id, body.repo);
    const view = await openSession(c.var.deps, c.var.user, {
      repo: body.repo,
      title: body.title,
      ...(body.prompt ? { prompt: body.prompt } : {}),
      ...(body.model ? { model: body.model } : {}),
      ...(body.spendLimitUsd ? { spendLimitUsd: body.spendLimitUsd } : {}),
    });
    return c.json({ session: view }, 201);
  })
  .get("/", async (c) => {
    const { q } = parse(ListQuerySchema, c.req.query(), "query");
    return c.json({ sessions: await listSessionsOf(c.var.deps.db, c.var.user.id, q || undefined) });
  })
  .get("/:sessionId", async (c) => {
    const { stub } = await participantStub(c);
    return c.json({ session: orThrow(await stub.view(c.var.user.id)) });
  })
  .patch("/:sessionId/settings", async (c) => {
    const { stub } = await participantStub(c);
    const body = await jsonBody(c, SessionSettingsBodySchema);
    return c.json({ session: orThrow(await stub.changeSettings(c.var.user.id, body)) });
  })
  .get("/:sessionId/events", async (c) => {
    const { stub } = await participantStub(c);
    const { after, limit } = parse(EventsQuerySchema, c.req.query(), "query");
    const page = orThrow(await stub.eventsAfter(c.var.user.id, after, limit));
    const last = page.events.at(-1);
    return c.json({ ...page, nextCursor: last ? last.seq : after });
  })
  .post("/:sessionId/prompts", async (c) => {
    const { stub } = await participantStub(c);
    const body = await jsonBody(c, PromptBodySchema);
    const accepted = orThrow(await stub.submitPrompt(personOf(c.var.user), body));
    return c.json(accepted, accepted.duplicate ? 200 : 201);
  })
  .delete("/:sessionId/prompts/:messageId", async (c) => {
    const { stub } = await participantStub(c);
    return c.json(orThrow(await stub.cancelPrompt(c.var.user.id, c.req.param("messageId"))));
  })
  .get("/:sessionId/team", async (c) => {
    const { stub } = await participantStub(c);
    return c.json({ team: orThrow(await stub.team(c.var.user.id)) });
  })
  .get("/:sessionId/pipelines", async (c) => {
    const { stub } = await participantStub(c);
    return c.json({ pipelines: orThrow(await stub.pipelines(c.var.user.id)) });
  })
  .get("/:sessionId/pipeline-runs", async (c) => {
    const { stub } = await participantStub(c);
    return c.json({ runs: orThrow(await stub.pipelineRuns(c.var.user.id)) });
  })
  .post("/:sessionId/pipeline-runs", async (c) => {
    const { stub } = await participantStub(c);
    const body = await jsonBody(c, StartRunBodySchema);
    return c.json({ run: orThrow(await stub.startPipelineRun(personOf(c.var.user), body)) }, 201);
  })
  .get("/:sessionId/pipeline-runs/:runId", async (c) => {
    const { stub } = await participantStub(c);
    return c.json({ run: orThrow(await stub.pipelineRun(c.var.user.id, c.req.param("runId"))) });
  })
  .post("/:sessionId/pull-request", async (c) => {
    const { stub } = await participantStub(c);
    return c.json(orThrow(await stub.publishPullRequest(c.var.user.id)));
  })
  .get("/:sessionId/previews", listPreviews)
  .post("/:sessionId/previews", exposePreview)
  .delete("/:sessionId/previews/:port", closePreview)
  .post("/:sessionId/stop", async (c) => {
    const { stub } = await participantStub(c);
    return c.json(orThrow(await stub.stop(c.var.user.id)));
  })
  .get("/:sessionId/share-links", async (c) => {
    const { stub } = await participantStub(c);
    return c.json({ links: orThrow(await stub.listShareLinks(c.var.user.id)) });
  })
  .post("/:sessionId/share-links", async (c) => {
    const { sessionId, stub } = await participantStub(c);
    const body = await jsonBody(c, CreateShareLinkBodySchema);
    const created = orThrow(
      await stub.createShareLink(c.var.user.id, body.role, body.expiresInHours),
    );
    const url = `${c.var.deps.publicOrigin}/join/${sessionId}#${created.token}`;
    return c.json({ ...created, url }, 201);
  })
  .delete("/:sessionId/share-links/:linkId", async (c) => {
    const { stub } = await participantStub(c);
    return c.json({
      link: orThrow(await stub.revokeShareLink(c.var.user.id, c.req.param("linkId"))),
    });
  })
  .post("/:sessionId/join", async (c) => {
    const sessionId = sessionIdOf(c);
    const { token } = await jsonBody(c, JoinBodySchema);
    const { db, now, session } = c.var.deps;
    if (!(await sessionExists(db, sessionId)))
      throw new TandemError("not_found", "This share link is not valid.");
    const joined = orThrow(await session(sessionId).join(personOf(c.var.user), token));
    await indexMember(db, sessionId, c.var.user.id, joined.role, now());
    return c.json({ session: orThrow(await session(sessionId).view(c.var.user.id)) });
  })
  .delete("/:sessionId/participants/:userId", async (c) => {
    const { sessionId, stub } = await participantStub(c);
    const { userId } = parse(ParticipantPathSchema, c.req.param(), "path");
    const removed = orThrow(await stub.removeParticipant(c.var.user.id, userId));
    // The Session object is the authority; the index follows once it agreed.
    await dropMember(c.var.deps.db, sessionId, userId);
    return c.json(removed);
  })
  .get("/:sessionId/ws", async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
      throw new TandemError("invalid_input", "This endpoint expects a WebSocket upgrade.");
    }
    // Browsers always send Origin on WebSocket upgrades; a foreign one means another site's page.
    if (c.req.header("Origin") !== undefined && !sameOrigin(c)) {
      throw new TandemError(
        "origin_rejected",
        "WebSocket connections are accepted only from Tandem's own pages.",
      );
    }
    const { stub } = await participantStub(c);
    const headers = new Headers(c.req.raw.headers);
    headers.set(PERSON_HEADER, JSON.stringify(personOf(c.var.user)));
    return stub.fetch(new Request(c.req.url, { headers }));
  });
