// Verifies webhook deliveries with the Standard Webhooks reference library, independent of Freight's Java signer.
// Reads a JSON array of {secret, payload, headers} on stdin; writes a JSON array of {ok, error} on stdout.
"use strict";
const { Webhook } = require("standardwebhooks");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(({ secret, payload, headers }) => {
    try {
      new Webhook(secret).verify(payload, headers);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: String(error.message) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
