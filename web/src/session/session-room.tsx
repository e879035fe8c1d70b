// A live session: header, timeline, queue, composer and the previews, team and pipeline panels,
// all rendered from the room state.
import { useMemo, useState } from "react";
import type { SessionView } from "../../../protocol/api.ts";
import { ShareDialog } from "../share/share-dialog.tsx";
import { ToastStack } from "../ui/toast-stack.tsx";
import { canExposePorts, canLeave, canPrompt, canShare } from "./abilities.ts";
import { Composer } from "./composer.tsx";
import { ConnectionBanner } from "./connection-banner.tsx";
import { QueuePanel } from "./queue-panel.tsx";
import { isReconnecting, othersTyping } from "./room-state.ts";
import { useProviders } from "../auth/use-providers.ts";
import { SessionPipelines } from "../pipelines/session-pipelines.tsx";
import { SessionTeam } from "../team/session-team.tsx";
import { PreviewsPanel } from "../previews/previews-panel.tsx";
import { PullRequestPanel } from "./pull-request-panel.tsx";
import { NO_PULL_REQUEST } from "./pull-request-state.ts";
import { SessionHeader } from "./session-header.tsx";
import { Timeline } from "./timeline.tsx";
import { TypingIndicator } from "./typing-indicator.tsx";
import { useRoom } from "./use-room.ts";

/** The session screen once the session has been read. */
export function SessionRoom({ view }: { view: SessionView }) {
  const [room, commands] = useRoom(view.id, view);
  const [sharing, setSharing] = useState(false);
  const live = room.status === "live";
  // Pull requests exist only where GitHub is configured.
  const providers = useProviders();
  const initialPullRequest = useMemo(
    () => ({ ...NO_PULL_REQUEST, pullRequest: view.pullRequest }),
    [view.pullRequest],
  );
  const me = room.me;
  const peopleVersion = useMemo(
    () => room.events.filter((event) => event.type.startsWith("participant.")).length,
    [room.events],
  );

  return (
    <main className="page session" id="main">
      <ConnectionBanner
        status={room.status}
        reconnecting={isReconnecting(room)}
        removal={room.removal}
      />
      <SessionHeader
        sessionId={view.id}
        title={view.title}
        repo={view.repo}
        role={room.role}
        presence={room.presence}
        myUserId={me?.userId}
        agent={room.agent}
        onShare={canShare(room.role) ? () => setSharing(true) : null}
        leaveAs={me && room.status !== "closed" && canLeave(room.role) ? me.userId : null}
      />
      <div className="session-grid">
        <section className="session-main" aria-label="Conversation">
          <Timeline
            events={room.events}
            prompts={room.prompts}
            turns={room.agent.turns}
            myUserId={me?.userId}
            loading={room.status !== "live" && room.status !== "closed"}
          />
          <TypingIndicator people={othersTyping(room)} />
          {/* Refused for good (left, removed): the banner says so, and there is nothing to send. */}
          {room.status === "closed" ? null : canPrompt(room.role) ? (
            <Composer onSend={commands.sendPrompt} onTyping={commands.setTyping} offline={!live} />
          ) : (
            <p className="viewer-note muted">
              You are watching as a viewer; only the owner and collaborators can prompt.
            </p>
          )}
        </section>
        <aside className="session-side">
          {providers?.github || view.pullRequest ? (
            <PullRequestPanel
              sessionId={view.id}
              events={room.events}
              initial={initialPullRequest}
              canPublish={canPrompt(room.role)}
            />
          ) : null}
          <QueuePanel
            queue={room.queue}
            pending={room.pending}
            role={room.role}
            me={me}
            live={live}
            onCancel={commands.cancelPrompt}
            onStop={commands.stop}
          />
          <PreviewsPanel
            sessionId={view.id}
            events={room.events}
            canExpose={canExposePorts(room.role)}
          />
          <SessionTeam sessionId={view.id} events={room.events} />
          <SessionPipelines
            sessionId={view.id}
            repo={view.repo}
            events={room.events}
            canPrompt={canPrompt(room.role)}
          />
        </aside>
      </div>
      {canShare(room.role) ? (
        <ShareDialog
          sessionId={view.id}
          open={sharing}
          onClose={() => setSharing(false)}
          myUserId={me?.userId}
          myRole={room.role}
          peopleVersion={peopleVersion}
        />
      ) : null}
      <ToastStack toasts={room.toasts} onDismiss={commands.dismissToast} />
    </main>
  );
}
