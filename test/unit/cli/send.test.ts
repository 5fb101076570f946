import "aws-sdk-client-mock-vitest/extend";
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEventBridgeClient } from "../../../cli/send.ts";
import { jsonl, runCli, tempFiles } from "./run-cli.ts";

const eb = mockClient(EventBridgeClient);
let nextId = 0;

/** Accepts every entry except the listed positions, which fail with the given error code. */
function respond(input: PutEventsCommandInput, failing: Record<number, string> = {}) {
  const entries = (input.Entries ?? []).map((_, position) => {
    const errorCode = failing[position];
    return errorCode
      ? { ErrorCode: errorCode, ErrorMessage: `${errorCode} for entry ${position}` }
      : { EventId: `evt-${nextId++}` };
  });
  return { FailedEntryCount: Object.keys(failing).length, Entries: entries };
}

beforeEach(() => {
  nextId = 0;
  eb.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => respond(input));
});

afterEach(() => {
  eb.reset();
});

const profile = {
  "detail-type": "CustomerProfileUpdated",
  source: "crm.profiles",
  time: "2026-03-01T00:00:00Z",
  detail: { customerId: "cust-kr-1", eventId: "crm-profile-1", locale: "ko-KR", phone: "+821012345678" },
};
const delivered = {
  "detail-type": "OrderDelivered",
  id: "delivery-7731902",
  detail: { customerId: "cust-kr-1", orderId: "kr-100", extra: "kept" },
};
const answered = {
  "detail-type": "SurveyResponded",
  source: "survey.responses",
  detail: { customerId: "cust-kr-1", eventId: "answer-1", surveyId: "NhOfSemKKl", score: 3 },
};

const LOCAL = ["--endpoint", "http://127.0.0.1:4010"];

function putInputs(): PutEventsCommandInput[] {
  return eb.commandCalls(PutEventsCommand).map((call) => call.args[0].input);
}

describe("waymark send", () => {
  it("puts every event on the bus with its source, detail-type, detail and time, in file order", async () => {
    const cwd = tempFiles({ "events.jsonl": jsonl(profile, delivered, answered) });
    const { code, stdout, stderr } = await runCli(["send", "events.jsonl", ...LOCAL], { cwd });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    // One PutEvents per run of consecutive events with the same source, in file order.
    expect(putInputs()).toEqual([
      {
        Entries: [
          {
            EventBusName: "waymark",
            Source: "crm.profiles",
            DetailType: "CustomerProfileUpdated",
            Detail: JSON.stringify(profile.detail),
            Time: new Date("2026-03-01T00:00:00Z"),
          },
        ],
      },
      {
        Entries: [
          {
            EventBusName: "waymark",
            Source: "waymark.cli",
            DetailType: "OrderDelivered",
            // Written as the producer wrote it (extra fields too); the file's id becomes the eventId.
            Detail: JSON.stringify({ ...delivered.detail, eventId: "delivery-7731902" }),
          },
        ],
      },
      {
        Entries: [
          {
            EventBusName: "waymark",
            Source: "survey.responses",
            DetailType: "SurveyResponded",
            Detail: JSON.stringify(answered.detail),
          },
        ],
      },
    ]);
    expect(stdout).toBe(
      "sent 3 events to waymark (http://127.0.0.1:4010)\n" +
        "  line 1  CustomerProfileUpdated  cust-kr-1  evt-0\n" +
        "  line 2  OrderDelivered          cust-kr-1  evt-1\n" +
        "  line 3  SurveyResponded         cust-kr-1  evt-2\n",
    );
  });

  it("batches a run of one source and reads a .json array, naming events by position", async () => {
    const events = Array.from({ length: 12 }, (_, n) => ({
      "detail-type": "OrderDelivered",
      source: "logistics.deliveries",
      detail: { customerId: `c-${n}`, orderId: `o-${n}`, eventId: `d-${n}` },
    }));
    const cwd = tempFiles({ "events.json": JSON.stringify(events) });
    const { code, stdout } = await runCli(["send", "events.json", ...LOCAL, "--bus", "waymark-dev"], { cwd });
    expect(code).toBe(0);
    expect(putInputs().map((input) => input.Entries?.length)).toEqual([10, 2]);
    expect(putInputs()[0]!.Entries![0]).toMatchObject({
      EventBusName: "waymark-dev",
      Source: "logistics.deliveries",
    });
    expect(stdout).toContain(
      "sent 12 events to waymark-dev (http://127.0.0.1:4010)\n  event 1   OrderDelivered",
    );
  });

  it("adds a generated eventId when an event has neither eventId nor id", async () => {
    const cwd = tempFiles({
      "one.json": JSON.stringify({
        "detail-type": "OrderReturned",
        detail: { customerId: "c", orderId: "o" },
      }),
    });
    expect((await runCli(["send", "one.json", ...LOCAL], { cwd })).code).toBe(0);
    const detail = JSON.parse(putInputs()[0]!.Entries![0]!.Detail!);
    expect(detail).toEqual({
      customerId: "c",
      orderId: "o",
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it("goes to AWS without --endpoint, with the bus and region given", async () => {
    const cwd = tempFiles({ "events.jsonl": jsonl(answered) });
    const { code, stdout } = await runCli(
      [
        "send",
        "events.jsonl",
        "--bus",
        "arn:aws:events:ap-northeast-2:111122223333:event-bus/waymark",
        "--region",
        "ap-northeast-2",
      ],
      { cwd },
    );
    expect(code).toBe(0);
    expect(stdout).toContain(
      "sent 1 event to arn:aws:events:ap-northeast-2:111122223333:event-bus/waymark (AWS)\n",
    );
    expect(putInputs()[0]!.Entries![0]!.EventBusName).toBe(
      "arn:aws:events:ap-northeast-2:111122223333:event-bus/waymark",
    );
  });

  it("sends nothing when any event is invalid, and names every problem", async () => {
    const cwd = tempFiles({
      "events.jsonl": jsonl(
        profile,
        { "detail-type": "OrderDelivered", detail: { orderId: "o" } },
        { "detail-type": "JourneyCompleted", detail: {} },
      ),
    });
    const { code, stdout, stderr } = await runCli(["send", "events.jsonl", ...LOCAL], { cwd });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      "waymark send: 2 of 3 events in events.jsonl are invalid; nothing was sent. Fix:\n" +
        "line 2: detail.customerId: required\n" +
        'line 3: detail-type: "JourneyCompleted" is emitted by Waymark and is not accepted as input\n',
    );
    expect(eb).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it("reports the entries that failed, with what to do, and exits 1", async () => {
    eb.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) =>
      respond(input, { 1: "MalformedDetail" }),
    );
    const cwd = tempFiles({
      "events.jsonl": jsonl(
        { ...delivered, id: "d-1" },
        { ...delivered, id: "d-2" },
        { ...delivered, id: "d-3", detail: { customerId: "cust-kr-2", orderId: "kr-200" } },
      ),
    });
    const { code, stdout, stderr } = await runCli(["send", "events.jsonl", ...LOCAL], { cwd });
    expect(code).toBe(1);
    // MalformedDetail cannot succeed later, so it is not retried.
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(stdout).toBe(
      "sent 2 events to waymark (http://127.0.0.1:4010)\n" +
        "  line 1  OrderDelivered  cust-kr-1  evt-0\n" +
        "  line 3  OrderDelivered  cust-kr-2  evt-1\n",
    );
    expect(stderr).toBe(
      "waymark send: 1 of 3 events could not be put on waymark (http://127.0.0.1:4010) " +
        "(the other 2 were sent):\n" +
        "  line 2  OrderDelivered  cust-kr-1  MalformedDetail: MalformedDetail for entry 1\n" +
        "Fix the cause, then send the failed events again.\n",
    );
  });

  it("holds back the events after a failed run, so that none overtakes an event that failed", async () => {
    eb.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) =>
      respond(input, { 0: "AccessDeniedException" }),
    );
    const cwd = tempFiles({ "events.jsonl": jsonl(profile, delivered, answered) });
    const { code, stdout, stderr } = await runCli(["send", "events.jsonl", ...LOCAL], { cwd });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(putInputs().map((input) => input.Entries?.[0]?.Source)).toEqual(["crm.profiles"]);
    expect(stderr).toBe(
      "waymark send: 1 of 3 events could not be put on waymark (http://127.0.0.1:4010):\n" +
        "  line 1  CustomerProfileUpdated  cust-kr-1  " +
        "AccessDeniedException: AccessDeniedException for entry 0\n" +
        "2 later events were not sent, so that no customer's events arrive out of order:\n" +
        "  line 2  OrderDelivered   cust-kr-1  not sent\n" +
        "  line 3  SurveyResponded  cust-kr-1  not sent\n" +
        "These credentials may not put events on waymark: check the IAM policy and the bus policy.\n" +
        "Fix the cause, then send the failed and unsent events again.\n",
    );
  });

  it("retries entries that failed for a passing reason, and succeeds", async () => {
    eb.on(PutEventsCommand)
      .callsFakeOnce((input: PutEventsCommandInput) => respond(input, { 0: "ThrottlingException" }))
      .callsFake((input: PutEventsCommandInput) => respond(input));
    const cwd = tempFiles({ "events.jsonl": jsonl(delivered, { ...delivered, id: "d-2" }) });
    const { code, stdout } = await runCli(["send", "events.jsonl", ...LOCAL], { cwd });
    expect(code).toBe(0);
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    expect(putInputs()[1]!.Entries).toHaveLength(1);
    expect(stdout).toContain("sent 2 events");
  });

  it("says the local runtime may not be running when nothing answers at the endpoint", async () => {
    eb.on(PutEventsCommand).rejects(
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4010"), { code: "ECONNREFUSED" }),
    );
    const cwd = tempFiles({ "events.jsonl": jsonl(delivered) });
    const { code, stderr } = await runCli(["send", "events.jsonl", ...LOCAL], { cwd });
    expect(code).toBe(1);
    expect(stderr).toContain(
      "  line 1  OrderDelivered  cust-kr-1  Error: connect ECONNREFUSED 127.0.0.1:4010\n",
    );
    expect(stderr).toContain("Nothing answered at http://127.0.0.1:4010: is the local runtime running?");
  });

  it.each([
    [["send"], "which file?"],
    [["send", "a.jsonl", "b.jsonl"], "unexpected argument b.jsonl"],
    [["send", "missing.jsonl"], "no such file: missing.jsonl — pass the path of a .json file"],
    [["send", "events.txt"], "events.txt: unknown file type"],
    [["send", "x.json", "--endpoint", "localhost:4010"], "--endpoint expects an http(s) URL"],
    [["send", "x.json", "--endpont", "http://127.0.0.1:4010"], "unknown option --endpont"],
  ])("%j → usage error, nothing sent", async (argv, message) => {
    const cwd = tempFiles({ "events.txt": "" });
    const { code, stderr } = await runCli(argv, { cwd });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(eb).not.toHaveReceivedCommand(PutEventsCommand);
  });
});

describe("createEventBridgeClient", () => {
  it("uses a default region and dummy credentials for a local endpoint by default", async () => {
    const client = createEventBridgeClient({ endpoint: "http://127.0.0.1:4010", env: {} });
    expect(await client.config.region()).toBe("us-east-1");
    expect(await client.config.credentials()).toMatchObject({
      accessKeyId: "local",
      secretAccessKey: "local",
    });
  });

  it("prefers --region, then AWS_REGION, for a local endpoint", async () => {
    const flag = createEventBridgeClient({
      endpoint: "http://127.0.0.1:4010",
      region: "eu-west-1",
      env: { AWS_REGION: "ap-northeast-2" },
    });
    expect(await flag.config.region()).toBe("eu-west-1");
    const env = createEventBridgeClient({
      endpoint: "http://127.0.0.1:4010",
      env: { AWS_REGION: "ap-northeast-2" },
    });
    expect(await env.config.region()).toBe("ap-northeast-2");
  });
});
