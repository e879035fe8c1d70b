// The rehearsal: what the model stand-in answers when no API key is configured and no script is
// named. A fixed, honest script that does a real small task on the demo repository (test/demo-repo)
// through the agent's real tools: look, read, test, add `median` with tests, test again, diff.
import type { RequestMessage } from "./request-schema.ts";
import type { MessageResponse, ScriptBlock } from "./script.ts";

const TESTS = "python3 -m unittest -q";

const MEDIAN = `def median(values):
    """Return the middle value of a non-empty list (the mean of the middle two if even)."""
    if not values:
        raise ValueError("median() needs at least one value")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2 == 1:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def mode(values):`;

const MEDIAN_TESTS = `class MedianTest(unittest.TestCase):
    def test_median_of_an_odd_count_is_the_middle_value(self):
        self.assertEqual(stats.median([3, 1, 2]), 2)

    def test_median_of_an_even_count_is_the_mean_of_the_middle_two(self):
        self.assertEqual(stats.median([4, 1, 3, 2]), 2.5)

    def test_median_of_no_values_is_an_error(self):
        with self.assertRaises(ValueError):
            stats.median([])


class ModeTest(unittest.TestCase):`;

const README_LINE =
  "- `median(values)`: the middle value once sorted; the mean of the middle two for an even count\n- `mode(values)`:";

const text = (value: string): ScriptBlock => ({ type: "text", text: value });
const tool = (name: string, input: Record<string, unknown> = {}): ScriptBlock => ({
  type: "tool_use",
  name,
  input,
});

/** The rehearsal's model calls in order; the last one ends the turn. */
const STEPS: ScriptBlock[][] = [
  [
    text(
      "I am Tandem's rehearsal model, not a real one: no Anthropic API key is configured " +
        "(ANTHROPIC_API_KEY is not set), so a stand-in plays a fixed script instead of acting on " +
        "your request. The tools it calls are real and run in this session's sandbox on the demo " +
        "repository. The rehearsed task: add a `median` function to `stats.py`, with tests. " +
        "First, the files.",
    ),
    tool("list_files"),
  ],
  [
    text("Rehearsal: reading the module and its tests."),
    tool("read_file", { path: "stats.py" }),
    tool("read_file", { path: "test_stats.py" }),
  ],
  [
    text("Rehearsal: running the tests before changing anything."),
    tool("run_command", { command: TESTS }),
  ],
  [
    text("Rehearsal: adding `median` to `stats.py`, between `mean` and `mode`."),
    tool("edit_file", { path: "stats.py", old_string: "def mode(values):", new_string: MEDIAN }),
  ],
  [
    text("Rehearsal: tests for `median`: an odd count, an even count, and no values."),
    tool("edit_file", {
      path: "test_stats.py",
      old_string: "class ModeTest(unittest.TestCase):",
      new_string: MEDIAN_TESTS,
    }),
  ],
  [
    text("Rehearsal: listing `median` in the README."),
    tool("edit_file", {
      path: "README.md",
      old_string: "- `mode(values)`:",
      new_string: README_LINE,
    }),
  ],
  [text("Rehearsal: running the tests again."), tool("run_command", { command: TESTS })],
  [text("Rehearsal: the change as git sees it."), tool("git_status"), tool("git_diff")],
];

/** The last step's summary; `troubled` when a tool reported a problem on the way. */
function summary(troubled: boolean): string {
  return [
    "That was a rehearsal: no model was involved and every step was scripted, but the work is real. " +
      "I listed the files, read `stats.py` and its tests, ran the tests, added `median(values)` " +
      "with three tests and a line in the README, ran the tests again and showed the diff.",
    troubled
      ? "A tool reported a problem on the way (see above). A real model would look into it; the rehearsal only notes it."
      : "The tests pass.",
    "To work with a real model, set ANTHROPIC_API_KEY.",
  ].join("\n\n");
}

const FINISHED =
  "This is still the rehearsal model: its script ended with the summary above, so it cannot act " +
  "on new requests. To work with a real model, set ANTHROPIC_API_KEY.";

/** Whether a tool result in `message` reports an error or a failing test run. */
function reportsProblem(message: RequestMessage | undefined): boolean {
  if (!message || typeof message.content === "string") return false;
  return message.content.some((block) => {
    if (block.type !== "tool_result") return false;
    const output =
      typeof block.content === "string"
        ? block.content
        : (block.content ?? []).map((part) => (part.type === "text" ? part.text : "")).join("\n");
    return block.is_error === true || /FAILED \(|Traceback \(most recent call last\)/.test(output);
  });
}

/** Answers call `index` (the number of assistant messages so far) of the rehearsal. */
export function rehearsalResponse(
  messages: readonly RequestMessage[],
  index: number,
): MessageResponse {
  const step = STEPS[index];
  if (index === STEPS.length) {
    const troubled = messages.some((message) => message.role === "user" && reportsProblem(message));
    return { content: [text(summary(troubled))] };
  }
  if (!step) return { content: [text(FINISHED)] };
  if (index > 0 && reportsProblem(messages.at(-1))) {
    const note =
      "(Rehearsal note: the last tool call reported a problem. A real model would adapt; this script carries on.)";
    return { content: [text(note), ...step] };
  }
  return { content: step };
}

/** How many model calls the rehearsal's first turn makes, the summary included. */
export const REHEARSAL_CALLS = STEPS.length + 1;
