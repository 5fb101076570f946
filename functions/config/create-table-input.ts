import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { table } from "./table.ts";

/**
 * The table as a CreateTable request, for the places that create it without CloudFormation:
 * the local runtime and the integration tests. The CDK stack builds it from the same `table`.
 */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: table.partitionKey, AttributeType: "S" },
      { AttributeName: table.sortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: table.partitionKey, KeyType: "HASH" },
      { AttributeName: table.sortKey, KeyType: "RANGE" },
    ],
  };
}
