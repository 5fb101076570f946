import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import dynalite from "dynalite";
import { createTableInput } from "../../functions/config/create-table-input.ts";

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  stop(): Promise<void>;
}

let tableCounter = 0;

/** A real DynamoDB wire-protocol server (dynalite, in memory) with Waymark's table created. */
export async function startDynamo(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "ap-northeast-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const tableName = `waymark-test-${++tableCounter}`;
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  // dynalite makes the table ACTIVE on a timer even at createTableMs 0, and answers ResourceNotFound until
  // then: on a loaded machine the first write can get there first.
  await waitUntilTableExists(
    { client, maxWaitTime: 30, minDelay: 0.02, maxDelay: 0.1 },
    { TableName: tableName },
  );
  return {
    endpoint,
    client,
    documentClient: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    tableName,
    stop: () =>
      new Promise<void>((resolve) => {
        client.destroy();
        server.close(() => resolve());
      }),
  };
}
