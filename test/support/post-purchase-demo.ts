import { DemoClient } from "../../infra/local/demo-client.ts";
import { stories } from "../../infra/local/demo-stories.ts";

/**
 * The demo's post-purchase story (Jiwoo in Seoul: tips, a survey, a detractor escalated), played on a running
 * local runtime through its public API exactly as `npm run demo` plays it. It starts with a reset and leaves
 * the clock at 2026-03-18T05:00:00Z (14:00 in Seoul), after her answer.
 */
export async function playPostPurchaseDemo(url: string): Promise<void> {
  const story = stories.find((s) => s.title.startsWith("Jiwoo in Seoul"));
  if (!story) throw new Error("the demo has no post-purchase story for Jiwoo");
  const client = new DemoClient(url, () => {}, false);
  await client.reset(story.start);
  await story.play(client);
}

/** A second customer, whose order is delivered now: her post-purchase instance waits for the tips. */
export const mina = {
  customerId: "mina",
  name: "Mina",
  locale: "en-US",
  timeZone: "America/New_York",
  email: "mina@example.com",
  preferredChannel: "email",
};
