#!/usr/bin/env python3
"""M10 check: the event log m10-account-events replays to alice 75 and bob 30, holds no trace of the rejected
command, corrects the mistake by appending, and m10-balances matches the replay."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402

STREAM, TABLE = "m10-account-events", "m10-balances"
EXPECTED = {"alice": 75, "bob": 30}


def body(c):
    c.stream_summary(STREAM, "step 1: aws kinesis create-stream --stream-name m10-account-events --shard-count 2")
    events = [r["event"] for _s, recs in c.read_stream(STREAM) for r in recs
              if isinstance(r["event"], dict) and r["event"].get("type") in ("MoneyDeposited", "MoneyWithdrawn")]
    per = {}
    for e in events:
        per.setdefault(e["account"], []).append(e)
    counts = {a: len(v) for a, v in per.items()}
    c.expect(counts.get("alice") == 3 and counts.get("bob") == 2,
             f"{len(events)} account events in the log: 3 for alice, 2 for bob",
             f"events per account: {counts or 'none'}; 3 for alice and 2 for bob expected",
             "steps 2 and 3, once each (delete the stream and start again if you ran some twice)")
    balances = {a: sum(e["amount"] if e["type"] == "MoneyDeposited" else -e["amount"] for e in v) for a, v in per.items()}
    c.expect({a: balances.get(a) for a in EXPECTED} == EXPECTED, "replaying the log gives alice 75 and bob 30",
             f"replaying the log gives {balances or 'nothing'}; alice 75 and bob 30 expected")
    big = [e for e in events if e["type"] == "MoneyWithdrawn" and e["amount"] == 500]
    c.expect(not big, "the rejected withdrawal of 500 left no event behind",
             f"{len(big)} MoneyWithdrawn events of 500 in the log: a rejected command must not become an event")
    refund = [e for e in per.get("alice", []) if e["type"] == "MoneyDeposited" and e["amount"] == 5]
    original = [e for e in per.get("alice", []) if e["type"] == "MoneyWithdrawn" and e["amount"] == 30]
    c.expect(refund and original, "the fee mistake was corrected by appending a deposit, not by changing an event",
             "alice's log should keep the withdrawal of 30 and add a deposit of 5", "step 3: deposit alice 5")
    ordered = all([e.get("version") for e in v] == list(range(1, len(v) + 1)) for v in per.values())
    c.expect(ordered, "each account's events are in version order (1, 2, 3, ...)",
             "some account's events are not in version order when read shard by shard")
    table = c.table(TABLE, "step 5: event_account.py project --table m10-balances")
    items = c.client("dynamodb").scan(TableName=table["TableName"], ConsistentRead=True)["Items"]
    view = {i["account"]["S"]: int(i["balance"]["N"]) for i in items}
    c.expect(view == {a: balances[a] for a in balances},
             f"{TABLE} matches the replay exactly (" + ", ".join(f"{a} {b}" for a, b in sorted(view.items())) + ", nothing else)",
             f"{TABLE} holds {view or 'nothing'}; the replay gives {balances}",
             "step 5: run event_account.py project --table m10-balances again to rebuild it")


if __name__ == "__main__":
    checklib.Check("M10", "Event Sourcing").run(body)
