// Pull request reviews: list them, and submit one (approve, request changes, comment) or start a
// pending one.
import { sendRepoEvent } from "../git/ref-changes.ts";
import { pullDetails, refreshPull } from "../pulls/pull-details.ts";
import { pullRequestReview } from "../shapes/pull-request.ts";
import { nodeId, timestamp, type Review } from "../state/world.ts";
import { reviewPayload } from "../webhooks/payloads.ts";
import { paginate } from "./paginate.ts";
import { requirePull } from "./pull-routes.ts";
import { actingAccount, fail, requireRepo, type RestRequest, type RestRoute } from "./route.ts";

const STATES: Record<string, Review["state"]> = {
  APPROVE: "APPROVED",
  REQUEST_CHANGES: "CHANGES_REQUESTED",
  COMMENT: "COMMENTED",
};

/** Users review with read access; an installation token needs `pull_requests: write`. */
const reviewRepo = (request: RestRequest, level: "read" | "write") =>
  requireRepo(request, {
    scope: "pull_requests",
    level: request.caller.identity.kind === "installation" ? level : "read",
  });

/** List and create pull request reviews. */
export const reviewRoutes: RestRoute[] = [
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    async handle(request) {
      const { repo } = reviewRepo(request, "read");
      const pull = requirePull(request, repo);
      const viewer = actingAccount(request);
      // A pending review is seen only by its author.
      const visible = pull.reviews.filter(
        (review) => review.state !== "PENDING" || review.user.id === viewer.id,
      );
      const page = paginate(visible, request.url);
      return {
        status: 200,
        body: page.items.map((review) => pullRequestReview(request.ctx.world, repo, pull, review)),
        headers: page.headers,
      };
    },
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    async handle(request) {
      const { repo } = reviewRepo(request, "write");
      const pull = requirePull(request, repo);
      const { world } = request.ctx;
      const body = (request.body ?? {}) as { commit_id?: string; body?: string; event?: string };
      const reviewer = actingAccount(request);
      const state = body.event ? STATES[body.event] : "PENDING";
      if (!state) fail(422, "Unprocessable Entity", [`Unknown review event ${body.event}`]);
      if ((state === "APPROVED" || state === "CHANGES_REQUESTED") && reviewer.id === pull.user.id)
        fail(422, "Unprocessable Entity", [
          state === "APPROVED"
            ? "Review Can not approve your own pull request"
            : "Review Can not request changes on your own pull request",
        ]);
      if ((state === "CHANGES_REQUESTED" || state === "COMMENTED") && !body.body)
        fail(422, "Unprocessable Entity", [
          "Review body is required for REQUEST_CHANGES and COMMENT",
        ]);
      if (
        state === "PENDING" &&
        pull.reviews.some((review) => review.state === "PENDING" && review.user.id === reviewer.id)
      )
        fail(422, "Unprocessable Entity", [
          "User can only have one pending review per pull request",
        ]);
      await refreshPull(repo, pull);
      const id = world.nextId();
      const review: Review = {
        id,
        nodeId: nodeId("PullRequestReview", id),
        user: reviewer,
        body: body.body ?? "",
        state,
        commitId: body.commit_id ?? pull.headSha,
        submittedAt: state === "PENDING" ? null : timestamp(world),
      };
      pull.reviews.push(review);
      if (state !== "PENDING")
        sendRepoEvent(
          request.ctx,
          repo,
          "pull_request_review",
          reviewPayload(world, repo, pull, review, await pullDetails(repo, pull)),
        );
      return { status: 200, body: pullRequestReview(world, repo, pull, review) };
    },
  },
];
