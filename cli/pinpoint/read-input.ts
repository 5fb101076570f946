/**
 * The journeys in what the user points `waymark import pinpoint` at: one JSON file, or every `.json` file of
 * a directory. A file holds what the AWS CLI or SDK gives: `aws pinpoint get-journey` output
 * (`{"JourneyResponse": …}`), `list-journeys` output (`{"JourneysResponse": {"Item": […]}}`), a
 * create/update request (`{"ApplicationId": …, "WriteJourneyRequest": …}`), or a bare JourneyResponse or
 * WriteJourneyRequest. Anything else is an error naming the file.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Finding } from "./json-path.ts";
import type { JourneyShape } from "./validate-journey.ts";

export interface JourneyInput {
  /** The file, as the user named it (relative to the working directory when it was). */
  file: string;
  shape: JourneyShape;
  /** The JSON path of the journey in the file. */
  root: string;
  raw: unknown;
}

export interface InputFileProblem extends Finding {
  file: string;
}

export function readJourneyInputs(
  target: string,
  cwd: string,
): { inputs: JourneyInput[]; problems: InputFileProblem[] } {
  const absolute = path.resolve(cwd, target);
  const files = statSync(absolute).isDirectory()
    ? readdirSync(absolute)
        .filter((name) => name.endsWith(".json"))
        .sort()
        .map((name) => path.join(target, name))
    : [target];
  const inputs: JourneyInput[] = [];
  const problems: InputFileProblem[] = [];
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path.resolve(cwd, file), "utf8"));
    } catch (error) {
      problems.push({ file, path: "$", message: `not JSON: ${(error as Error).message}` });
      continue;
    }
    const found = journeysIn(raw);
    if ("problem" in found) problems.push({ file, ...found.problem });
    else inputs.push(...found.journeys.map((journey) => ({ file, ...journey })));
  }
  return { inputs, problems };
}

type Found = { journeys: Omit<JourneyInput, "file">[] } | { problem: Finding };

function journeysIn(raw: unknown): Found {
  if (!isObject(raw))
    return { problem: { path: "$", message: "expected a Pinpoint journey (a JSON object)" } };
  const keys = Object.keys(raw);
  if ("JourneyResponse" in raw) {
    const extra = keys.filter((k) => k !== "JourneyResponse");
    if (extra.length > 0) return unexpected(extra, "get-journey output holds JourneyResponse only");
    return { journeys: [{ shape: "JourneyResponse", root: "$.JourneyResponse", raw: raw.JourneyResponse }] };
  }
  if ("JourneysResponse" in raw) {
    const list = raw.JourneysResponse;
    if (!isObject(list) || !Array.isArray(list.Item))
      return { problem: { path: "$.JourneysResponse.Item", message: "expected the list of journeys" } };
    return {
      journeys: list.Item.map((item, i) => ({
        shape: "JourneyResponse" as const,
        root: `$.JourneysResponse.Item[${i}]`,
        raw: item,
      })),
    };
  }
  if ("WriteJourneyRequest" in raw) {
    // CreateJourneyRequest and UpdateJourneyRequest, as `--cli-input-json` takes them.
    const extra = keys.filter((k) => !["WriteJourneyRequest", "ApplicationId", "JourneyId"].includes(k));
    if (extra.length > 0)
      return unexpected(
        extra,
        "a create or update request holds ApplicationId, JourneyId and WriteJourneyRequest",
      );
    return {
      journeys: [
        { shape: "WriteJourneyRequest", root: "$.WriteJourneyRequest", raw: raw.WriteJourneyRequest },
      ],
    };
  }
  // A bare journey: only a JourneyResponse carries the ids Pinpoint assigns.
  const shape = "Id" in raw || "ApplicationId" in raw ? "JourneyResponse" : "WriteJourneyRequest";
  return { journeys: [{ shape, root: "$", raw }] };
}

function unexpected(keys: string[], why: string): Found {
  return { problem: { path: `$.${keys[0]}`, message: `unexpected key ${JSON.stringify(keys[0])}: ${why}` } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
