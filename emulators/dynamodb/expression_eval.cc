// Evaluation of parsed expressions against items: conditions (with DynamoDB's typing rules:
// comparisons of different types or missing attributes are false, <> is then true), update
// actions (all operands read from the item as it was before the update), projections.
#include <algorithm>
#include <optional>

#include "emulators/dynamodb/expression.h"

namespace streamlab::dynamodb {
namespace {

AwsError no_attribute() {
  return AwsError::validation("The provided expression refers to an attribute that does not exist in the item");
}
AwsError bad_type() { return AwsError::validation("An operand in the update expression has an incorrect data type"); }
AwsError bad_path() {
  return AwsError::validation("The document path provided in the update expression is invalid for update");
}

bool is_scalar(AttrType t) { return t == AttrType::S || t == AttrType::N || t == AttrType::B; }

std::optional<AttributeValue> value_of(const Operand& o, const Item& item) {
  switch (o.kind) {
    case Operand::Kind::path: {
      const AttributeValue* v = resolve(item, o.path);
      if (!v) return std::nullopt;
      return *v;
    }
    case Operand::Kind::value: return o.value;
    case Operand::Kind::size: {
      auto v = value_of(o.args[0], item);
      if (!v) return std::nullopt;
      size_t n = 0;
      switch (v->type) {
        case AttrType::S:
        case AttrType::B: n = v->scalar.size(); break;
        case AttrType::SS:
        case AttrType::NS:
        case AttrType::BS: n = v->set.size(); break;
        case AttrType::L: n = v->list.size(); break;
        case AttrType::M: n = v->map.size(); break;
        default: return std::nullopt;
      }
      return AttributeValue::scalar_of(AttrType::N, std::to_string(n));
    }
    default: return std::nullopt;  // update-only operands never reach conditions
  }
}

bool compare(const std::string& op, const std::optional<AttributeValue>& a, const std::optional<AttributeValue>& b) {
  if (op == "=") return a && b && equals(*a, *b);
  if (op == "<>") return !(a && b && equals(*a, *b));
  if (!a || !b || a->type != b->type || !is_scalar(a->type)) return false;
  int c = compare_scalars(*a, *b);
  if (op == "<") return c < 0;
  if (op == "<=") return c <= 0;
  if (op == ">") return c > 0;
  return c >= 0;
}

bool contains(const AttributeValue& hay, const AttributeValue& needle) {
  switch (hay.type) {
    case AttrType::S:
    case AttrType::B:
      return needle.type == hay.type && hay.scalar.find(needle.scalar) != std::string::npos;
    case AttrType::SS:
    case AttrType::NS:
    case AttrType::BS: {
      AttrType member = hay.type == AttrType::SS ? AttrType::S : hay.type == AttrType::NS ? AttrType::N : AttrType::B;
      if (needle.type != member) return false;
      return std::find(hay.set.begin(), hay.set.end(), needle.scalar) != hay.set.end();
    }
    case AttrType::L:
      for (auto& e : hay.list)
        if (equals(e, needle)) return true;
      return false;
    default: return false;
  }
}

// Resolved operand of an update: missing attributes are errors, except under if_not_exists.
Result<AttributeValue> update_value(const Operand& o, const Item& item) {
  switch (o.kind) {
    case Operand::Kind::path: {
      const AttributeValue* v = resolve(item, o.path);
      if (!v) return no_attribute();
      return *v;
    }
    case Operand::Kind::value: return o.value;
    case Operand::Kind::if_not_exists: {
      if (const AttributeValue* v = resolve(item, o.args[0].path)) return *v;
      return update_value(o.args[1], item);
    }
    case Operand::Kind::list_append: {
      auto a = update_value(o.args[0], item);
      if (!a) return a;
      auto b = update_value(o.args[1], item);
      if (!b) return b;
      if (a->type != AttrType::L || b->type != AttrType::L) return bad_type();
      for (auto& e : b->list) a->list.push_back(e);
      return a;
    }
    case Operand::Kind::plus:
    case Operand::Kind::minus: {
      auto a = update_value(o.args[0], item);
      if (!a) return a;
      auto b = update_value(o.args[1], item);
      if (!b) return b;
      if (a->type != AttrType::N || b->type != AttrType::N) return bad_type();
      Decimal r = o.kind == Operand::Kind::plus ? a->as_number() + b->as_number() : a->as_number() - b->as_number();
      if (auto s = r.check_limits(); !s) return s.error();
      return AttributeValue::number(r);
    }
    case Operand::Kind::size: return bad_type();
  }
  return bad_type();
}

// The value at `path` inside `item`, creating nothing; the parent container for writes.
AttributeValue* parent_of(Item& item, const Path& path) {
  if (path.size() < 2) return nullptr;
  auto it = item.find(path[0].name);
  if (it == item.end() || path[0].is_index()) return nullptr;
  AttributeValue* cur = &it->second;
  for (size_t i = 1; i + 1 < path.size(); ++i) {
    const PathElement& e = path[i];
    if (e.is_index()) {
      if (cur->type != AttrType::L || size_t(e.index) >= cur->list.size()) return nullptr;
      cur = &cur->list[size_t(e.index)];
    } else {
      if (cur->type != AttrType::M) return nullptr;
      auto m = cur->map.find(e.name);
      if (m == cur->map.end()) return nullptr;
      cur = &m->second;
    }
  }
  return cur;
}

Status set_path(Item& item, const Path& path, AttributeValue v) {
  if (path.size() == 1) {
    item[path[0].name] = std::move(v);
    return Ok{};
  }
  AttributeValue* parent = parent_of(item, path);
  if (!parent) return bad_path();
  const PathElement& last = path.back();
  if (last.is_index()) {
    if (parent->type != AttrType::L) return bad_path();
    // Past the end appends, as AWS does.
    if (size_t(last.index) >= parent->list.size()) parent->list.push_back(std::move(v));
    else parent->list[size_t(last.index)] = std::move(v);
  } else {
    if (parent->type != AttrType::M) return bad_path();
    parent->map[last.name] = std::move(v);
  }
  return Ok{};
}

AttributeValue* find_mut(Item& item, const Path& path) {
  return const_cast<AttributeValue*>(resolve(item, path));
}

struct ProjNode {
  bool whole = false;
  std::map<std::string, ProjNode> names;
  std::map<int64_t, ProjNode> indexes;
};

std::optional<AttributeValue> extract(const AttributeValue& v, const ProjNode& node) {
  if (node.whole) return v;
  if (!node.names.empty()) {
    if (v.type != AttrType::M) return std::nullopt;
    AttributeValue out;
    out.type = AttrType::M;
    for (auto& [k, child] : node.names)
      if (auto it = v.map.find(k); it != v.map.end())
        if (auto e = extract(it->second, child)) out.map.emplace(k, std::move(*e));
    if (out.map.empty()) return std::nullopt;
    return out;
  }
  if (v.type != AttrType::L) return std::nullopt;
  AttributeValue out;
  out.type = AttrType::L;
  for (auto& [i, child] : node.indexes)
    if (size_t(i) < v.list.size())
      if (auto e = extract(v.list[size_t(i)], child)) out.list.push_back(std::move(*e));
  if (out.list.empty()) return std::nullopt;
  return out;
}
}  // namespace

const AttributeValue* resolve(const Item& item, const Path& path) {
  if (path.empty() || path[0].is_index()) return nullptr;
  auto it = item.find(path[0].name);
  if (it == item.end()) return nullptr;
  const AttributeValue* cur = &it->second;
  for (size_t i = 1; i < path.size(); ++i) {
    const PathElement& e = path[i];
    if (e.is_index()) {
      if (cur->type != AttrType::L || size_t(e.index) >= cur->list.size()) return nullptr;
      cur = &cur->list[size_t(e.index)];
    } else {
      if (cur->type != AttrType::M) return nullptr;
      auto m = cur->map.find(e.name);
      if (m == cur->map.end()) return nullptr;
      cur = &m->second;
    }
  }
  return cur;
}

bool evaluate(const Condition& c, const Item& item) {
  switch (c.kind) {
    case Condition::Kind::and_: return evaluate(c.children[0], item) && evaluate(c.children[1], item);
    case Condition::Kind::or_: return evaluate(c.children[0], item) || evaluate(c.children[1], item);
    case Condition::Kind::not_: return !evaluate(c.children[0], item);
    case Condition::Kind::compare:
      return compare(c.op, value_of(c.operands[0], item), value_of(c.operands[1], item));
    case Condition::Kind::between: {
      auto v = value_of(c.operands[0], item);
      auto lo = value_of(c.operands[1], item), hi = value_of(c.operands[2], item);
      return compare(">=", v, lo) && compare("<=", v, hi);
    }
    case Condition::Kind::in: {
      auto v = value_of(c.operands[0], item);
      if (!v) return false;
      for (size_t i = 1; i < c.operands.size(); ++i)
        if (auto o = value_of(c.operands[i], item); o && equals(*v, *o)) return true;
      return false;
    }
    case Condition::Kind::attribute_exists: return resolve(item, c.operands[0].path) != nullptr;
    case Condition::Kind::attribute_not_exists: return resolve(item, c.operands[0].path) == nullptr;
    case Condition::Kind::attribute_type: {
      auto v = value_of(c.operands[0], item);
      auto t = value_of(c.operands[1], item);
      return v && t && t->type == AttrType::S && t->scalar == type_name(v->type);
    }
    case Condition::Kind::begins_with: {
      auto a = value_of(c.operands[0], item), b = value_of(c.operands[1], item);
      if (!a || !b || a->type != b->type || (a->type != AttrType::S && a->type != AttrType::B)) return false;
      return a->scalar.compare(0, b->scalar.size(), b->scalar) == 0 && a->scalar.size() >= b->scalar.size();
    }
    case Condition::Kind::contains: {
      auto a = value_of(c.operands[0], item), b = value_of(c.operands[1], item);
      return a && b && contains(*a, *b);
    }
  }
  return false;
}

Status apply_update(const UpdateExpression& update, Item& item) {
  // Every operand sees the item as it was before the update.
  const Item before = item;
  std::vector<std::optional<AttributeValue>> values(update.actions.size());
  for (size_t i = 0; i < update.actions.size(); ++i) {
    const UpdateAction& a = update.actions[i];
    if (a.kind == UpdateAction::Kind::remove) continue;
    auto v = update_value(a.value, before);
    if (!v) return v.error();
    values[i] = std::move(*v);
  }
  // List elements removed by index refer to the original positions: remove from the back.
  std::vector<size_t> order(update.actions.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const UpdateAction &a = update.actions[x], &b = update.actions[y];
    bool ra = a.kind == UpdateAction::Kind::remove && a.path.back().is_index();
    bool rb = b.kind == UpdateAction::Kind::remove && b.path.back().is_index();
    if (ra && rb) return a.path.back().index > b.path.back().index;
    return false;
  });
  for (size_t i : order) {
    const UpdateAction& a = update.actions[i];
    switch (a.kind) {
      case UpdateAction::Kind::set:
        if (auto s = set_path(item, a.path, std::move(*values[i])); !s) return s;
        break;
      case UpdateAction::Kind::remove: {
        if (a.path.size() == 1) {
          item.erase(a.path[0].name);
          break;
        }
        AttributeValue* parent = parent_of(item, a.path);
        const PathElement& last = a.path.back();
        if (!parent || (last.is_index() ? parent->type != AttrType::L : parent->type != AttrType::M)) return bad_path();
        if (last.is_index()) {
          if (size_t(last.index) < parent->list.size()) parent->list.erase(parent->list.begin() + last.index);
        } else {
          parent->map.erase(last.name);
        }
        break;
      }
      case UpdateAction::Kind::add: {
        AttributeValue& v = *values[i];
        AttributeValue* cur = find_mut(item, a.path);
        if (!cur) {
          if (v.type != AttrType::N && !v.is_set()) return bad_type();
          if (auto s = set_path(item, a.path, v); !s) return s;
          break;
        }
        if (v.type == AttrType::N) {
          if (cur->type != AttrType::N) return bad_type();
          Decimal r = cur->as_number() + v.as_number();
          if (auto s = r.check_limits(); !s) return s;
          *cur = AttributeValue::number(r);
        } else if (v.is_set()) {
          if (cur->type != v.type) return bad_type();
          for (auto& m : v.set)
            if (std::find(cur->set.begin(), cur->set.end(), m) == cur->set.end()) cur->set.push_back(m);
        } else {
          return bad_type();
        }
        break;
      }
      case UpdateAction::Kind::del: {
        AttributeValue& v = *values[i];
        if (!v.is_set()) return bad_type();
        AttributeValue* cur = find_mut(item, a.path);
        if (!cur) {
          if (a.path.size() > 1) {
            AttributeValue* parent = parent_of(item, a.path);
            AttrType want = a.path.back().is_index() ? AttrType::L : AttrType::M;
            if (!parent || parent->type != want) return bad_path();
          }
          break;
        }
        if (cur->type != v.type) return bad_type();
        std::vector<std::string> kept;
        for (auto& m : cur->set)
          if (std::find(v.set.begin(), v.set.end(), m) == v.set.end()) kept.push_back(m);
        if (kept.empty()) {
          // A set is never empty: removing its last members removes the attribute.
          if (a.path.size() == 1) {
            item.erase(a.path[0].name);
          } else {
            AttributeValue* parent = parent_of(item, a.path);
            if (a.path.back().is_index()) parent->list.erase(parent->list.begin() + a.path.back().index);
            else parent->map.erase(a.path.back().name);
          }
        } else {
          cur->set = std::move(kept);
        }
        break;
      }
    }
  }
  return Ok{};
}

Item project(const Item& item, const std::vector<Path>& paths) {
  std::map<std::string, ProjNode> roots;
  for (auto& p : paths) {
    if (p.empty() || p[0].is_index()) continue;
    ProjNode* node = &roots[p[0].name];
    for (size_t i = 1; i < p.size(); ++i)
      node = p[i].is_index() ? &node->indexes[p[i].index] : &node->names[p[i].name];
    node->whole = true;
  }
  Item out;
  for (auto& [name, node] : roots)
    if (auto it = item.find(name); it != item.end())
      if (auto v = extract(it->second, node)) out.emplace(name, std::move(*v));
  return out;
}

}  // namespace streamlab::dynamodb
