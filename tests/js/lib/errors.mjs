// Assertions on the errors the SDK raises for the query-compatible services (SQS over JSON 1.0,
// SNS over query): the exception class name (the modelled class, else the query code), the
// query-compatible Code (x-amzn-query-error for SQS), Type "Sender", the HTTP status, and the
// message (a string, a RegExp, or undefined to skip it).
import assert from "node:assert/strict";

export async function rejectsQueryError(promise, name, code, message, status = 400) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.name, name, err.message);
    assert.equal(err.Code, code);
    assert.equal(err.Type, "Sender");
    assert.equal(err.$metadata.httpStatusCode, status);
    if (message instanceof RegExp) assert.match(err.message, message);
    else if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}
