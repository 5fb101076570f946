/**
 * `npm run demo`: the reference journeys played against a local runtime on virtual time, told
 * as a story — what came in, what Waymark decided and why, what each customer received. Exits
 * non-zero if anything in the story did not happen.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
const { LocalRuntime } = await import("./runtime.ts");
const { supportsColour } = await import("./terminal.ts");
const { DemoClient } = await import("./demo-client.ts");
const { stories } = await import("./demo-stories.ts");

const colour = supportsColour();
const bold = (text: string) => (colour ? `\u001b[1m${text}\u001b[0m` : text);
const started = performance.now();
const runtime = await LocalRuntime.start({
  port: 0,
  tickMs: 0,
  write: (line) => console.log(`    ${line}`),
  colour,
});
const client = new DemoClient(runtime.url, (line) => console.log(line), colour);
console.log(bold(`Waymark demo — a local runtime on ${runtime.url}, virtual time\n`));

const failures: string[] = [];
for (const story of stories) {
  console.log(bold(`\n▌ ${story.title}`));
  console.log(`  ${story.premise}\n`);
  await client.reset(story.start);
  try {
    await story.play(client);
  } catch (error) {
    failures.push(`${story.title}: ${(error as Error).message}`);
    console.log(`  ✗ ${(error as Error).message}`);
  }
}
await runtime.stop();

const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (failures.length > 0) {
  console.log(bold(`\n${failures.length} part(s) of the story did not happen (${seconds} s):`));
  for (const failure of failures) console.log(`  ✗ ${failure}`);
  process.exit(1);
}
console.log(bold(`\nEvery part of the story happened (${stories.length} stories, ${seconds} s).`));
