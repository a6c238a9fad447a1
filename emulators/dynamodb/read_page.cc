#include "emulators/dynamodb/read_page.h"

#include <algorithm>

#include "emulators/dynamodb/item_codec.h"
#include "emulators/dynamodb/key_codec.h"

namespace streamlab::dynamodb {
namespace {
AwsError invalid_operator(const std::string& op) {
  return AwsError::validation("Invalid operator used in KeyConditionExpression: " + op);
}
AwsError invalid_condition(const std::string& what) {
  return AwsError::validation("Invalid condition in KeyConditionExpression: " + what);
}

void flatten_and(const Condition& c, std::vector<const Condition*>& out) {
  if (c.kind == Condition::Kind::and_) {
    flatten_and(c.children[0], out);
    flatten_and(c.children[1], out);
  } else {
    out.push_back(&c);
  }
}

std::string inverted(const std::string& op) {
  if (op == "<") return ">";
  if (op == "<=") return ">=";
  if (op == ">") return "<";
  if (op == ">=") return "<=";
  return op;
}

Result<KeyTerm> key_term(const Condition& c) {
  using K = Condition::Kind;
  switch (c.kind) {
    case K::or_: return invalid_operator("OR");
    case K::not_: return invalid_operator("NOT");
    case K::in: return invalid_operator("IN");
    case K::attribute_exists: return invalid_operator("attribute_exists");
    case K::attribute_not_exists: return invalid_operator("attribute_not_exists");
    case K::attribute_type: return invalid_operator("attribute_type");
    case K::contains: return invalid_operator("contains");
    default: break;
  }
  if (c.kind == K::compare && c.op == "<>") return invalid_operator("<>");
  for (auto& o : c.operands)
    if (o.kind == Operand::Kind::size)
      return AwsError::validation("KeyConditionExpressions cannot contain nested operations");
  KeyTerm t;
  if (c.kind == K::compare) {
    const Operand *key = nullptr, *value = nullptr;
    t.op = c.op;
    if (c.operands[0].kind == Operand::Kind::path) {
      key = &c.operands[0];
      value = &c.operands[1];
    } else if (c.operands[1].kind == Operand::Kind::path) {
      key = &c.operands[1];
      value = &c.operands[0];
      t.op = inverted(c.op);
    } else {
      return invalid_condition("No key attribute specified");
    }
    if (key->path.size() > 1)
      return AwsError::validation("KeyConditionExpressions cannot have conditions on nested attributes");
    if (value->kind == Operand::Kind::path) return invalid_condition("Multiple attribute names used in one condition");
    t.attribute = key->path[0].name;
    t.values.push_back(value->value);
    return t;
  }
  const char* name = c.kind == K::between ? "BETWEEN" : "begins_with";
  if (c.operands[0].kind != Operand::Kind::path)
    return invalid_condition(std::string(name) + " operator must have the key attribute as its first operand");
  if (c.operands[0].path.size() > 1)
    return AwsError::validation("KeyConditionExpressions cannot have conditions on nested attributes");
  for (size_t i = 1; i < c.operands.size(); ++i)
    if (c.operands[i].kind == Operand::Kind::path)
      return invalid_condition("Multiple attribute names used in one condition");
  t.attribute = c.operands[0].path[0].name;
  t.op = name;
  for (size_t i = 1; i < c.operands.size(); ++i) t.values.push_back(c.operands[i].value);
  return t;
}

std::string escaped_prefix(const std::string& bytes) {
  std::string out;
  for (char c : bytes) {
    out += c;
    if (c == '\0') out += '\xff';
  }
  return out;
}

bool has_key(const Item& item, const KeyElement& k) {
  auto it = item.find(k.name);
  return it != item.end() && it->second.type == k.type;
}
}  // namespace

Result<std::vector<KeyTerm>> key_terms(const Condition& key_condition) {
  std::vector<const Condition*> leaves;
  flatten_and(key_condition, leaves);
  std::vector<KeyTerm> terms;
  for (auto* leaf : leaves) {
    auto t = key_term(*leaf);
    if (!t) return t.error();
    terms.push_back(std::move(*t));
  }
  for (size_t i = 0; i < terms.size(); ++i)
    for (size_t j = i + 1; j < terms.size(); ++j)
      if (terms[i].attribute == terms[j].attribute)
        return AwsError::validation("KeyConditionExpressions must only contain one condition per key");
  return terms;
}

const KeySchema& read_schema(const Table& table, const SecondaryIndex* index) {
  return index ? index->key : table.key;
}

Result<std::pair<std::string, std::string>> query_range(const Table& table, const SecondaryIndex* index,
                                                        const std::vector<KeyTerm>& terms) {
  const KeySchema& schema = read_schema(table, index);
  const KeyTerm *hash = nullptr, *range = nullptr;
  for (auto& t : terms) {
    if (t.attribute == schema.hash.name) hash = &t;
    else if (schema.range && t.attribute == schema.range->name) range = &t;
  }
  if (!hash) return AwsError::validation("Query condition missed key schema element: " + schema.hash.name);
  if (hash->op != "=" || terms.size() != 1u + (range ? 1u : 0u))
    return AwsError::validation("Query key condition not supported");
  auto type_error = [] {
    return AwsError::validation("One or more parameter values were invalid: Condition parameter type does not match "
                                "schema type");
  };
  if (hash->values[0].type != schema.hash.type) return type_error();
  std::string p = index ? index_prefix(index->uid) : item_prefix(table.uid);
  encode_key_value(hash->values[0], p);
  if (!range) return std::pair{p, storage::prefix_end(p)};
  for (auto& v : range->values)
    if (v.type != schema.range->type) return type_error();
  auto with = [&](const AttributeValue& v) {
    std::string k = p;
    encode_key_value(v, k);
    return k;
  };
  const std::string& op = range->op;
  if (op == "=") return std::pair{with(range->values[0]), storage::prefix_end(with(range->values[0]))};
  if (op == "<") return std::pair{p, with(range->values[0])};
  if (op == "<=") return std::pair{p, storage::prefix_end(with(range->values[0]))};
  if (op == ">") return std::pair{storage::prefix_end(with(range->values[0])), storage::prefix_end(p)};
  if (op == ">=") return std::pair{with(range->values[0]), storage::prefix_end(p)};
  if (op == "BETWEEN") return std::pair{with(range->values[0]), storage::prefix_end(with(range->values[1]))};
  // begins_with: strings and binaries keep their prefix order under the escape encoding.
  if (schema.range->type == AttrType::N) return AwsError::validation("Query key condition not supported");
  std::string start = p + escaped_prefix(range->values[0].scalar);
  return std::pair{start, storage::prefix_end(start)};
}

std::pair<std::string, std::string> scan_range(const Table& table, const SecondaryIndex* index) {
  std::string p = index ? index_prefix(index->uid) : item_prefix(table.uid);
  return {p, storage::prefix_end(p)};
}

Status check_start_key(const Table& table, const SecondaryIndex* index, const Item& key) {
  std::vector<const KeyElement*> want{&table.key.hash};
  if (table.key.range) want.push_back(&*table.key.range);
  if (index) {
    for (const KeyElement* k : {&index->key.hash, index->key.range ? &*index->key.range : nullptr})
      if (k && !table.is_table_key(k->name)) want.push_back(k);
  }
  if (key.size() != want.size()) return AwsError::validation("The provided starting key is invalid");
  for (auto* k : want)
    if (!key.count(k->name)) return AwsError::validation("The provided starting key is invalid");
  for (auto* k : want)
    if (key.at(k->name).type != k->type)
      return AwsError::validation("The provided key element does not match the schema");
  return Ok{};
}

Item index_projection(const Table& table, const SecondaryIndex& index, const Item& item) {
  if (index.projection.type == "ALL") return item;
  Item out;
  for (auto& [k, v] : item)
    if (index.projects(k, table.key)) out.emplace(k, v);
  return out;
}

PageResult read_page(DynamoDB& ddb, const PageRequest& rq) {
  const Table& table = *rq.table;
  std::string lower = rq.lower, upper = rq.upper;
  if (rq.exclusive_start) {
    std::string k = rq.index ? index_prefix(rq.index->uid) : item_prefix(table.uid);
    if (rq.index) {
      encode_key_value(rq.exclusive_start->at(rq.index->key.hash.name), k);
      if (rq.index->key.range) encode_key_value(rq.exclusive_start->at(rq.index->key.range->name), k);
    }
    k += DynamoDB::primary_key(table.key, *rq.exclusive_start);
    if (rq.forward) lower = std::max(lower, k + std::string(1, '\0'));
    else upper = std::min(upper, k);
  }
  PageResult out;
  if (lower >= upper) return out;
  bool stopped = false, more = false;
  size_t prefix_len = rq.index ? index_prefix(0).size() : item_prefix(0).size();
  auto visit = [&](std::string_view key, std::string_view value) {
    std::optional<Item> item;
    if (rq.raw && !rq.index) {
      size_t pos = prefix_len;
      auto key_item = DynamoDB::decode_primary_key(table.key, key, pos);
      if (!key_item) return true;
      if (rq.in_segment && !rq.in_segment(*key_item)) return true;
      if (stopped) {
        more = true;
        return false;
      }
      ++out.scanned;
      out.scanned_bytes += value.size();
      out.raw_items.emplace_back(value);
      if ((rq.limit && out.scanned >= *rq.limit) || out.scanned_bytes >= 1024 * 1024) {
        stopped = true;
        out.last_key = std::move(*key_item);
      }
      return true;
    }
    if (rq.index) {
      size_t pos = prefix_len;
      auto index_key = DynamoDB::decode_primary_key(rq.index->key, key, pos);
      auto pk = index_key ? DynamoDB::decode_primary_key(table.key, key, pos) : std::nullopt;
      if (!pk) return true;
      item = ddb.get(table, *pk);
      // The entry and the item are written in one batch; a missing item is a concurrent delete.
      if (!item || !has_key(*item, rq.index->key.hash) ||
          (rq.index->key.range && !has_key(*item, *rq.index->key.range)))
        return true;
    } else {
      item = decode_item(value);
      if (!item) return true;
    }
    if (rq.in_segment && !rq.in_segment(*item)) return true;
    if (stopped) {
      more = true;
      return false;
    }
    ++out.scanned;
    out.scanned_bytes += item_size(*item);
    Item last;
    for (auto* ks : {&table.key, rq.index ? &rq.index->key : nullptr}) {
      if (!ks) continue;
      last[ks->hash.name] = item->at(ks->hash.name);
      if (ks->range) last[ks->range->name] = item->at(ks->range->name);
    }
    if (!rq.filter || evaluate(*rq.filter, *item)) out.items.push_back(std::move(*item));
    if ((rq.limit && out.scanned >= *rq.limit) || out.scanned_bytes >= 1024 * 1024) {
      stopped = true;
      out.last_key = std::move(last);
    }
    return true;
  };
  if (rq.forward) ddb.store().scan(storage::Family::kv, lower, upper, visit);
  else ddb.store().scan_reverse(storage::Family::kv, lower, upper, visit);
  if (!more) out.last_key.reset();
  return out;
}

}  // namespace streamlab::dynamodb
