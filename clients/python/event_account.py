#!/usr/bin/env python3
"""Event-sourced bank accounts on a Kinesis stream: the stream of events is the truth, balances are derived.

Commands (deposit, withdraw) are validated against the account's current state, which is rebuilt by
replaying that account's events; a command that passes becomes an immutable event appended to the stream
(partition key = account id, so one account's events stay in order on one shard). A command that fails
validation (withdrawing more than the balance) is rejected and leaves no event behind (exit status 3).
Nothing is ever updated or deleted: a mistake is corrected by appending a compensating event.

  deposit ACCOUNT AMOUNT [--note TEXT]    append MoneyDeposited
  withdraw ACCOUNT AMOUNT [--note TEXT]   append MoneyWithdrawn, if the balance allows it
  history ACCOUNT                         the account's events, oldest first
  balance ACCOUNT                         the balance, rebuilt by replaying the account's events
  replay                                  every account's balance, rebuilt from the whole stream
  project --table TABLE                   write the replayed balances to a DynamoDB table (a read model),
                                          creating it if missing and removing accounts no longer in the log
Amounts are whole numbers (think cents).

Examples:
  event_account.py --endpoint-url http://localhost:4566 --stream accounts deposit alice 100
  event_account.py --stream accounts withdraw alice 30 --note "groceries"
  event_account.py --stream accounts project --table account-balances
"""
import json
import sys
import time
import uuid

import labcommon

REJECTED = 3


def build_parser():
    p = labcommon.parser(__doc__.split("\n")[0], epilog=__doc__.split("\n", 1)[1])
    p.add_argument("--stream", required=True, help="the stream holding the account events")
    sub = p.add_subparsers(dest="command", required=True)
    for name in ("deposit", "withdraw"):
        s = sub.add_parser(name, help=f"{name} money (a command that may become an event)")
        s.add_argument("account")
        s.add_argument("amount", type=int)
        s.add_argument("--note", default="")
    sub.add_parser("history", help="an account's events").add_argument("account")
    sub.add_parser("balance", help="an account's balance, replayed").add_argument("account")
    sub.add_parser("replay", help="every account's balance, replayed from the whole stream")
    s = sub.add_parser("project", help="write the replayed balances to a DynamoDB table")
    s.add_argument("--table", required=True)
    return p


def events(kinesis, stream):
    """Every event in the stream: parents before children, each shard in sequence order."""
    for _shard, records in labcommon.read_stream(kinesis, stream):
        for r in records:
            ev = labcommon.decode(r["Data"])
            if isinstance(ev, dict) and ev.get("type") in ("MoneyDeposited", "MoneyWithdrawn"):
                ev["_seq"] = r["SequenceNumber"]
                yield ev


def apply(state, ev):
    """The one place that knows how an event changes an account. Deterministic, so replays agree."""
    acct = state.setdefault(ev["account"], {"balance": 0, "events": 0, "last_sequence": None})
    acct["balance"] += ev["amount"] if ev["type"] == "MoneyDeposited" else -ev["amount"]
    acct["events"] += 1
    acct["last_sequence"] = ev["_seq"]
    return state


def replay(kinesis, stream, account=None):
    state = {}
    for ev in events(kinesis, stream):
        if account is None or ev["account"] == account:
            apply(state, ev)
    return state


def command(args, kinesis):
    if args.amount <= 0:
        print(f"rejected: the amount must be a positive whole number, not {args.amount}")
        return REJECTED
    state = replay(kinesis, args.stream, args.account).get(args.account, {"balance": 0, "events": 0,
                                                                          "last_sequence": None})
    if args.command == "withdraw" and args.amount > state["balance"]:
        print(f"rejected: withdraw {args.amount} from {args.account}: insufficient funds "
              f"(balance {state['balance']}); no event was written")
        return REJECTED
    event = {"type": "MoneyDeposited" if args.command == "deposit" else "MoneyWithdrawn",
             "event_id": str(uuid.uuid4()), "account": args.account, "amount": args.amount,
             "version": state["events"] + 1, "note": args.note,
             "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    kwargs = {}
    if state["last_sequence"]:  # strict order for this key even if an earlier write is retried
        kwargs["SequenceNumberForOrdering"] = state["last_sequence"]
    r = labcommon.call_paced(kinesis.put_record, StreamName=args.stream, PartitionKey=args.account,
                             Data=json.dumps(event).encode(), **kwargs)
    new_balance = state["balance"] + (args.amount if args.command == "deposit" else -args.amount)
    print(f"accepted: {event['type']} {args.amount} for {args.account} (event #{event['version']} of this account, "
          f"{r['ShardId']}, sequence number {r['SequenceNumber']}); balance now {new_balance}")
    return 0


def history(args, kinesis):
    balance, n = 0, 0
    for ev in events(kinesis, args.stream):
        if ev["account"] != args.account:
            continue
        n += 1
        balance += ev["amount"] if ev["type"] == "MoneyDeposited" else -ev["amount"]
        note = f"  ({ev['note']})" if ev.get("note") else ""
        print(f"#{ev.get('version', n):<3} {ev.get('at', ''):<20} {ev['type']:<15} {ev['amount']:>8}  "
              f"balance {balance:>8}{note}")
    if not n:
        print(f"no events for {args.account}")
    return 0


def project(args, kinesis, dynamodb):
    state = replay(kinesis, args.stream)
    table = args.table
    try:
        dynamodb.describe_table(TableName=table)
    except Exception as exc:  # noqa: BLE001
        if labcommon.error_code(exc) != "ResourceNotFoundException":
            raise
        dynamodb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                              AttributeDefinitions=[{"AttributeName": "account", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "account", "KeyType": "HASH"}])
        dynamodb.get_waiter("table_exists").wait(TableName=table, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
        print(f"created table {table}")
    existing = set()
    for page in dynamodb.get_paginator("scan").paginate(TableName=table, ProjectionExpression="account"):
        existing |= {i["account"]["S"] for i in page["Items"]}
    for acct, s in sorted(state.items()):
        dynamodb.put_item(TableName=table, Item={"account": {"S": acct}, "balance": {"N": str(s["balance"])},
                                                 "events": {"N": str(s["events"])},
                                                 "last_sequence": {"S": s["last_sequence"]}})
        print(f"{acct}: balance {s['balance']} from {s['events']} events -> written to {table}")
    for acct in sorted(existing - set(state)):
        dynamodb.delete_item(TableName=table, Key={"account": {"S": acct}})
        print(f"{acct}: no events in the log -> removed from {table}")
    return 0


def main():
    args = build_parser().parse_args()
    clients = labcommon.Clients.from_args(args)
    kinesis = clients.client("kinesis", retries=1)
    if args.command in ("deposit", "withdraw"):
        return command(args, kinesis)
    if args.command == "history":
        return history(args, kinesis)
    if args.command == "balance":
        s = replay(kinesis, args.stream, args.account).get(args.account)
        if s is None:
            print(f"{args.account}: no events, balance 0")
        else:
            print(f"{args.account}: balance {s['balance']} (replayed {s['events']} events)")
        return 0
    if args.command == "replay":
        state = replay(kinesis, args.stream)
        for acct, s in sorted(state.items()):
            print(f"{acct}: balance {s['balance']} ({s['events']} events)")
        if not state:
            print("no account events in the stream")
        return 0
    return project(args, kinesis, clients.client("dynamodb"))


if __name__ == "__main__":
    labcommon.run(main)
    sys.exit(0)
