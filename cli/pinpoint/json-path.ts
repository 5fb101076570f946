/**
 * Where in the input a problem is, as a JSONPath a person can follow in their editor:
 * `$.JourneyResponse.Activities.Welcome.EMAIL.NextActivity`, `$.Activities.Split.MultiCondition.Branches[1]`.
 * Keys that are not plain identifiers are quoted: `$.Activities["send-1"]`.
 */
export type PathSegment = string | number;

export function jsonPath(root: string, segments: readonly PathSegment[]): string {
  let out = root;
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** A problem with the input (an error) or a gap in it (a draft), at its JSON path. */
export interface Finding {
  path: string;
  message: string;
}
