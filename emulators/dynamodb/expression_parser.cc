// Lexer, recursive-descent parser and semantic checks of DynamoDB expressions (grammar in
// expression.h). Parsing backtracks where the grammar needs it ("(a) = :v" against "(a = :v)")
// and reports a syntax error at the furthest token any alternative reached, as AWS does:
//   Syntax error; token: "<token or <EOF>>", near: "<previous token … next token>"
// Semantic errors are collected per category in source order and the first one of the
// highest-priority category wins, following AWS's precedence.
#include <algorithm>

#include "emulators/dynamodb/expression.h"
#include "emulators/dynamodb/reserved_words.h"

namespace streamlab::dynamodb {
namespace {

enum class Tok { name, attr_name, attr_value, number, lparen, rparen, lbracket, rbracket, comma, dot,
                 eq, ne, lt, le, gt, ge, plus, minus, unknown, eof };

struct Token {
  Tok kind;
  std::string text;
  size_t begin, end;
};

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_part(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
      continue;
    }
    size_t b = i;
    Tok kind = Tok::unknown;
    if (ident_start(c)) {
      while (i < s.size() && ident_part(s[i])) ++i;
      kind = Tok::name;
    } else if (c >= '0' && c <= '9') {
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      kind = Tok::number;
    } else if ((c == '#' || c == ':') && i + 1 < s.size() && ident_part(s[i + 1])) {
      ++i;
      while (i < s.size() && ident_part(s[i])) ++i;
      kind = c == '#' ? Tok::attr_name : Tok::attr_value;
    } else {
      ++i;
      switch (c) {
        case '(': kind = Tok::lparen; break;
        case ')': kind = Tok::rparen; break;
        case '[': kind = Tok::lbracket; break;
        case ']': kind = Tok::rbracket; break;
        case ',': kind = Tok::comma; break;
        case '.': kind = Tok::dot; break;
        case '=': kind = Tok::eq; break;
        case '+': kind = Tok::plus; break;
        case '-': kind = Tok::minus; break;
        case '<':
          kind = Tok::lt;
          if (i < s.size() && s[i] == '>') kind = Tok::ne, ++i;
          else if (i < s.size() && s[i] == '=') kind = Tok::le, ++i;
          break;
        case '>':
          kind = Tok::gt;
          if (i < s.size() && s[i] == '=') kind = Tok::ge, ++i;
          break;
        default:
          // One whole UTF-8 character.
          while (i < s.size() && (uint8_t(s[i]) & 0xC0) == 0x80) ++i;
          break;
      }
    }
    out.push_back({kind, std::string(s.substr(b, i - b)), b, i});
  }
  out.push_back({Tok::eof, "<EOF>", s.size(), s.size()});
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

enum class Mode { condition, update, projection };

struct RawPathElem {
  std::string text;  // identifier or "#name"
  bool attr_name = false;
  int64_t index = -1;
};
using RawPath = std::vector<RawPathElem>;

struct RawOperand {
  enum Kind { path, value, function, plus, minus } kind = path;
  RawPath rpath;
  std::string text;  // ":value" or function name
  std::vector<RawOperand> args;
  bool parens = false, redundant = false;
};

struct RawCondition {
  enum Kind { compare, between, in, and_, or_, not_, function } kind = compare;
  std::string op;
  std::vector<RawOperand> operands;  // function: operands[0] is the call
  std::vector<RawCondition> children;
  bool parens = false, redundant = false;
};

struct RawAction {
  std::string section;  // SET, REMOVE, ADD, DELETE
  RawPath rpath;
  RawOperand value;
};

class Parser {
 public:
  Parser(std::string_view src, Mode mode) : src_(src), toks_(lex(src)), mode_(mode) {}

  bool empty() const { return toks_.size() == 1; }

  bool condition(RawCondition& out) { return parse_or(out) && at_eof(); }

  bool update(std::vector<RawAction>& out, std::string& section_error) {
    std::set<std::string> seen;
    do {
      std::string section;
      for (const char* kw : {"SET", "REMOVE", "ADD", "DELETE"})
        if (keyword(peek(), kw)) section = kw;
      if (section.empty()) return fail();
      if (!seen.insert(section).second && section_error.empty())
        section_error = "The \"" + section + "\" section can only be used once in an update expression;";
      ++pos_;
      do {
        RawAction a;
        a.section = section;
        if (!parse_path(a.rpath)) return false;
        if (section == "SET") {
          if (peek().kind != Tok::eq) return fail();
          ++pos_;
          if (!parse_set_value(a.value)) return false;
        } else if (section == "ADD" || section == "DELETE") {
          if (peek().kind != Tok::attr_value) return fail();
          a.value.kind = RawOperand::value;
          a.value.text = toks_[pos_++].text;
        }
        out.push_back(std::move(a));
      } while (peek().kind == Tok::comma && ++pos_);
    } while (peek().kind != Tok::eof);
    return true;
  }

  bool projection(std::vector<RawPath>& out) {
    do {
      RawPath p;
      if (!parse_path(p)) return false;
      out.push_back(std::move(p));
    } while (peek().kind == Tok::comma && ++pos_);
    return at_eof();
  }

  std::string syntax_error() const {
    size_t at = std::min(furthest_, toks_.size() - 1);
    const Token& t = toks_[at];
    size_t begin = at > 0 ? toks_[at - 1].begin : t.begin;
    size_t end = t.kind != Tok::eof && toks_[at + 1].kind != Tok::eof ? toks_[at + 1].end : t.end;
    if (t.kind == Tok::eof) end = src_.size();
    return "Syntax error; token: \"" + t.text + "\", near: \"" + std::string(src_.substr(begin, end - begin)) + "\"";
  }

 private:
  const Token& peek(size_t k = 0) const { return toks_[std::min(pos_ + k, toks_.size() - 1)]; }
  bool fail() {
    furthest_ = std::max(furthest_, pos_);
    return false;
  }
  bool at_eof() { return peek().kind == Tok::eof || fail(); }
  static bool keyword(const Token& t, const char* kw) { return t.kind == Tok::name && iequals(t.text, kw); }
  bool is_reserved_keyword(const Token& t) const {
    if (t.kind != Tok::name) return false;
    if (mode_ == Mode::condition)
      for (const char* kw : {"AND", "OR", "NOT", "BETWEEN", "IN"})
        if (iequals(t.text, kw)) return true;
    if (mode_ == Mode::update)
      for (const char* kw : {"SET", "REMOVE", "ADD", "DELETE"})
        if (iequals(t.text, kw)) return true;
    return false;
  }
  bool comparator(const Token& t) const {
    return t.kind == Tok::eq || t.kind == Tok::ne || t.kind == Tok::lt || t.kind == Tok::le || t.kind == Tok::gt ||
           t.kind == Tok::ge;
  }

  bool parse_name(RawPathElem& e) {
    const Token& t = peek();
    if (t.kind == Tok::attr_name) {
      e.text = t.text;
      e.attr_name = true;
    } else if (t.kind == Tok::name && !is_reserved_keyword(t)) {
      e.text = t.text;
    } else {
      return fail();
    }
    ++pos_;
    return true;
  }

  bool parse_path(RawPath& out) {
    RawPathElem head;
    if (!parse_name(head)) return false;
    out.push_back(std::move(head));
    for (;;) {
      if (peek().kind == Tok::dot) {
        ++pos_;
        RawPathElem e;
        if (!parse_name(e)) return false;
        out.push_back(std::move(e));
      } else if (peek().kind == Tok::lbracket) {
        ++pos_;
        if (peek().kind != Tok::number) return fail();
        RawPathElem e;
        const std::string& digits = toks_[pos_].text;
        e.index = digits.size() > 9 ? 999999999 : std::stoll(digits);
        ++pos_;
        if (peek().kind != Tok::rbracket) return fail();
        ++pos_;
        out.push_back(std::move(e));
      } else {
        return true;
      }
    }
  }

  bool parse_operand(RawOperand& out) {
    const Token& t = peek();
    if (t.kind == Tok::lparen) {
      size_t save = pos_;
      ++pos_;
      RawOperand inner;
      if (parse_operand(inner) && peek().kind == Tok::rparen) {
        ++pos_;
        out = std::move(inner);
        out.redundant = out.redundant || out.parens;
        out.parens = true;
        return true;
      }
      if (peek().kind != Tok::rparen) fail();
      pos_ = save;
      return false;
    }
    if (t.kind == Tok::attr_value) {
      out.kind = RawOperand::value;
      out.text = t.text;
      ++pos_;
      return true;
    }
    if (t.kind == Tok::name && !is_reserved_keyword(t) && peek(1).kind == Tok::lparen) {
      out.kind = RawOperand::function;
      out.text = t.text;
      pos_ += 2;
      do {
        RawOperand arg;
        if (!parse_operand(arg)) return false;
        out.args.push_back(std::move(arg));
      } while (peek().kind == Tok::comma && ++pos_);
      if (peek().kind != Tok::rparen) return fail();
      ++pos_;
      return true;
    }
    out.kind = RawOperand::path;
    return parse_path(out.rpath);
  }

  bool parse_set_value(RawOperand& out) {
    if (peek().kind == Tok::lparen) {
      size_t save = pos_;
      ++pos_;
      RawOperand inner;
      if (parse_arith(inner) && peek().kind == Tok::rparen) {
        ++pos_;
        out = std::move(inner);
        return true;
      }
      if (peek().kind != Tok::rparen) fail();
      pos_ = save;
    }
    return parse_arith(out);
  }

  bool parse_arith(RawOperand& out) {
    RawOperand a;
    if (!parse_operand(a)) return false;
    if (peek().kind != Tok::plus && peek().kind != Tok::minus) {
      out = std::move(a);
      return true;
    }
    out = RawOperand();
    out.kind = peek().kind == Tok::plus ? RawOperand::plus : RawOperand::minus;
    ++pos_;
    RawOperand b;
    if (!parse_operand(b)) return false;
    out.args.push_back(std::move(a));
    out.args.push_back(std::move(b));
    return true;
  }

  bool parse_or(RawCondition& out) {
    RawCondition left;
    if (!parse_and(left)) return false;
    while (keyword(peek(), "OR")) {
      ++pos_;
      RawCondition right;
      if (!parse_and(right)) return false;
      RawCondition c;
      c.kind = RawCondition::or_;
      c.children.push_back(std::move(left));
      c.children.push_back(std::move(right));
      left = std::move(c);
    }
    out = std::move(left);
    return true;
  }

  bool parse_and(RawCondition& out) {
    RawCondition left;
    if (!parse_not(left)) return false;
    while (keyword(peek(), "AND")) {
      ++pos_;
      RawCondition right;
      if (!parse_not(right)) return false;
      RawCondition c;
      c.kind = RawCondition::and_;
      c.children.push_back(std::move(left));
      c.children.push_back(std::move(right));
      left = std::move(c);
    }
    out = std::move(left);
    return true;
  }

  bool parse_not(RawCondition& out) {
    if (!keyword(peek(), "NOT")) return parse_primary(out);
    ++pos_;
    RawCondition child;
    if (!parse_primary(child)) return false;
    out = RawCondition();
    out.kind = RawCondition::not_;
    out.children.push_back(std::move(child));
    return true;
  }

  bool continues_comparison() const {
    return comparator(peek()) || keyword(peek(), "BETWEEN") || keyword(peek(), "IN");
  }

  bool parse_primary(RawCondition& out) {
    if (peek().kind == Tok::lparen) {
      size_t save = pos_;
      ++pos_;
      RawCondition inner;
      if (parse_or(inner) && peek().kind == Tok::rparen) {
        ++pos_;
        if (!continues_comparison()) {
          out = std::move(inner);
          out.redundant = out.redundant || out.parens;
          out.parens = true;
          return true;
        }
      } else if (peek().kind != Tok::rparen) {
        fail();
      }
      pos_ = save;
    }
    RawOperand a;
    if (!parse_operand(a)) return false;
    out = RawCondition();
    if (comparator(peek())) {
      out.kind = RawCondition::compare;
      out.op = toks_[pos_++].text;
      RawOperand b;
      if (!parse_operand(b)) return false;
      out.operands = {std::move(a), std::move(b)};
      return true;
    }
    if (keyword(peek(), "BETWEEN")) {
      ++pos_;
      RawOperand lo, hi;
      if (!parse_operand(lo)) return false;
      if (!keyword(peek(), "AND")) return fail();
      ++pos_;
      if (!parse_operand(hi)) return false;
      out.kind = RawCondition::between;
      out.operands = {std::move(a), std::move(lo), std::move(hi)};
      return true;
    }
    if (keyword(peek(), "IN")) {
      ++pos_;
      if (peek().kind != Tok::lparen) return fail();
      ++pos_;
      out.kind = RawCondition::in;
      out.operands.push_back(std::move(a));
      do {
        RawOperand v;
        if (!parse_operand(v)) return false;
        out.operands.push_back(std::move(v));
      } while (peek().kind == Tok::comma && ++pos_);
      if (peek().kind != Tok::rparen) return fail();
      ++pos_;
      return true;
    }
    if (a.kind == RawOperand::function && !a.parens) {
      out.kind = RawCondition::function;
      out.operands.push_back(std::move(a));
      return true;
    }
    return fail();
  }

  std::string_view src_;
  std::vector<Token> toks_;
  Mode mode_;
  size_t pos_ = 0, furthest_ = 0;
};

// ------------------------------------------------------------------ semantic checks

enum Cat {
  parens, unknown_function, misused_function, reserved, section, attr_name, attr_value, overlap, conflict,
  operand_count, distinct, operand_type, function_type, kCatCount
};

class Checker {
 public:
  Checker(ExpressionContext& ctx, Mode mode) : ctx_(ctx), mode_(mode) {}

  void add(Cat c, std::string msg) {
    if (errors_[c].empty()) errors_[c] = std::move(msg);
  }

  std::string first_error() const {
    static const Cat condition_order[] = {parens, unknown_function, misused_function, reserved, attr_name,
                                          operand_count, distinct, function_type};
    static const Cat update_order[] = {reserved, unknown_function, section, attr_name, attr_value, overlap,
                                       conflict, operand_type, function_type};
    static const Cat projection_order[] = {reserved, attr_name, overlap, conflict};
    auto pick = [&](const auto& order) -> std::string {
      for (Cat c : order)
        if (!errors_[c].empty()) return errors_[c];
      return "";
    };
    if (mode_ == Mode::condition) return pick(condition_order);
    if (mode_ == Mode::update) return pick(update_order);
    return pick(projection_order);
  }

  Path path(const RawPath& raw) {
    Path p;
    for (auto& e : raw) {
      PathElement out;
      if (e.index >= 0) {
        out.index = e.index;
      } else if (e.attr_name) {
        auto it = ctx_.names.find(e.text);
        if (it == ctx_.names.end()) {
          add(attr_name, "An expression attribute name used in the document path is not defined; attribute name: " +
                             e.text);
        } else {
          ctx_.used_names.insert(e.text);
          out.name = it->second;
        }
      } else {
        if (is_reserved_word(e.text)) add(reserved, "Attribute name is a reserved keyword; reserved keyword: " + e.text);
        out.name = e.text;
      }
      p.push_back(std::move(out));
    }
    return p;
  }

  AttributeValue value(const std::string& name) {
    auto it = ctx_.values.find(name);
    if (it == ctx_.values.end()) {
      // Conditions report undefined names and values in one category; updates in two.
      add(mode_ == Mode::update ? attr_value : attr_name,
          "An expression attribute value used in expression is not defined; attribute value: " + name);
      return AttributeValue();
    }
    ctx_.used_values.insert(name);
    return it->second;
  }

  // The type a literal operand (or, with functions = true, a function result) is known to have.
  static std::string type_of(const Operand& o, bool functions) {
    if (o.kind == Operand::Kind::value) return type_name(o.value.type);
    if (!functions) return "";
    if (o.kind == Operand::Kind::size || o.kind == Operand::Kind::plus || o.kind == Operand::Kind::minus) return "N";
    if (o.kind == Operand::Kind::list_append) return "L";
    if (o.kind == Operand::Kind::if_not_exists && o.args.size() == 2) return type_of(o.args[1], true);
    return "";
  }

  void check_distinct(const std::string& op, const std::vector<Operand>& args) {
    if (args.size() != 2 || args[0].kind != Operand::Kind::path || args[1].kind != Operand::Kind::path) return;
    if (args[0].path != args[1].path) return;
    add(distinct, "The first operand must be distinct from the remaining operands for this operator or function; "
                  "operator: " + op + ", first operand: " + path_string(args[0].path));
  }

  Operand operand(const RawOperand& raw, bool in_function_args = false) {
    if (raw.redundant) add(parens, "The expression has redundant parentheses;");
    Operand o;
    switch (raw.kind) {
      case RawOperand::path:
        o.kind = Operand::Kind::path;
        o.path = path(raw.rpath);
        return o;
      case RawOperand::value:
        o.kind = Operand::Kind::value;
        o.value = value(raw.text);
        return o;
      case RawOperand::plus:
      case RawOperand::minus: {
        o.kind = raw.kind == RawOperand::plus ? Operand::Kind::plus : Operand::Kind::minus;
        for (auto& a : raw.args) o.args.push_back(operand(a));
        std::string name = raw.kind == RawOperand::plus ? "+" : "-";
        for (auto& a : o.args) {
          std::string t = type_of(a, false);
          if (!t.empty() && t != "N")
            add(function_type, "Incorrect operand type for operator or function; operator or function: " + name +
                                   ", operand type: " + t);
        }
        return o;
      }
      case RawOperand::function: break;
    }
    for (auto& a : raw.args) o.args.push_back(operand(a, true));
    const std::string& name = raw.text;
    size_t n = o.args.size();
    auto arity = [&](size_t want) {
      if (n == want) return true;
      add(mode_ == Mode::update ? function_type : operand_count,
          "Incorrect number of operands for operator or function; operator or function: " + name +
              ", number of operands: " + std::to_string(n));
      return false;
    };
    if (mode_ == Mode::update) {
      if (name == "if_not_exists") {
        o.kind = Operand::Kind::if_not_exists;
        if (arity(2) && o.args[0].kind != Operand::Kind::path)
          add(function_type, "Operator or function requires a document path; operator or function: if_not_exists");
      } else if (name == "list_append") {
        o.kind = Operand::Kind::list_append;
        if (arity(2))
          for (auto& a : o.args) {
            std::string t = type_of(a, false);
            if (!t.empty() && t != "L")
              add(function_type, "Incorrect operand type for operator or function; operator or function: "
                                 "list_append, operand type: " + t);
          }
      } else {
        add(unknown_function, "Invalid function name; function: " + name);
      }
      return o;
    }
    // Condition operands: only size() yields a value.
    static const char* condition_functions[] = {"attribute_exists", "attribute_not_exists", "attribute_type",
                                                "begins_with", "contains", "size"};
    bool known = false;
    for (const char* f : condition_functions) known |= name == f;
    if (!known) {
      add(unknown_function, "Invalid function name; function: " + name);
      return o;
    }
    if (name != "size") {
      add(misused_function, "The function is not allowed to be used this way in an expression; function: " + name);
      return o;
    }
    o.kind = Operand::Kind::size;
    if (arity(1)) {
      std::string t = type_of(o.args[0], true);
      if (t == "N" || t == "BOOL" || t == "NULL")
        add(function_type, "Incorrect operand type for operator or function; operator or function: size, operand type: " + t);
    }
    (void)in_function_args;
    return o;
  }

  Condition condition(const RawCondition& raw) {
    if (raw.redundant) add(parens, "The expression has redundant parentheses;");
    Condition c;
    switch (raw.kind) {
      case RawCondition::and_:
      case RawCondition::or_:
      case RawCondition::not_:
        c.kind = raw.kind == RawCondition::and_ ? Condition::Kind::and_
                 : raw.kind == RawCondition::or_ ? Condition::Kind::or_ : Condition::Kind::not_;
        for (auto& ch : raw.children) c.children.push_back(condition(ch));
        return c;
      case RawCondition::compare:
        c.kind = Condition::Kind::compare;
        c.op = raw.op;
        for (auto& o : raw.operands) c.operands.push_back(operand(o));
        check_distinct(c.op, c.operands);
        return c;
      case RawCondition::between: {
        c.kind = Condition::Kind::between;
        for (auto& o : raw.operands) c.operands.push_back(operand(o));
        const Operand &lo = c.operands[1], &hi = c.operands[2];
        if (lo.kind == Operand::Kind::value && hi.kind == Operand::Kind::value && errors_[attr_name].empty()) {
          std::string bounds = "lower bound operand: AttributeValue: " + describe(lo.value) +
                               ", upper bound operand: AttributeValue: " + describe(hi.value);
          bool scalar = lo.value.type == AttrType::S || lo.value.type == AttrType::N || lo.value.type == AttrType::B;
          if (lo.value.type != hi.value.type)
            add(function_type, "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
          else if (scalar && compare_scalars(lo.value, hi.value) > 0)
            add(function_type,
                "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " + bounds);
        }
        return c;
      }
      case RawCondition::in:
        c.kind = Condition::Kind::in;
        for (auto& o : raw.operands) c.operands.push_back(operand(o));
        if (c.operands.size() > 101) add(function_type, "Too many operands for IN; max operands: 100");
        return c;
      case RawCondition::function: break;
    }
    // A function used as a condition.
    const RawOperand& call = raw.operands[0];
    const std::string& name = call.text;
    for (auto& a : call.args) c.operands.push_back(operand(a, true));
    struct Fn {
      const char* name;
      Condition::Kind kind;
      size_t arity;
    };
    static const Fn fns[] = {{"attribute_exists", Condition::Kind::attribute_exists, 1},
                             {"attribute_not_exists", Condition::Kind::attribute_not_exists, 1},
                             {"attribute_type", Condition::Kind::attribute_type, 2},
                             {"begins_with", Condition::Kind::begins_with, 2},
                             {"contains", Condition::Kind::contains, 2}};
    const Fn* fn = nullptr;
    for (auto& f : fns)
      if (name == f.name) fn = &f;
    if (!fn) {
      if (name == "size") add(misused_function, "The function is not allowed to be used this way in an expression; function: size");
      else add(unknown_function, "Invalid function name; function: " + name);
      return c;
    }
    c.kind = fn->kind;
    size_t n = c.operands.size();
    if (n != fn->arity) {
      add(operand_count, "Incorrect number of operands for operator or function; operator or function: " + name +
                             ", number of operands: " + std::to_string(n));
      return c;
    }
    check_distinct(name, c.operands);
    switch (c.kind) {
      case Condition::Kind::attribute_exists:
      case Condition::Kind::attribute_not_exists:
        if (c.operands[0].kind != Operand::Kind::path)
          add(function_type, "Operator or function requires a document path; operator or function: " + name);
        break;
      case Condition::Kind::begins_with:
        for (auto& o : c.operands) {
          std::string t = type_of(o, true);
          if (!t.empty() && t != "S" && t != "B") {
            add(function_type, "Incorrect operand type for operator or function; operator or function: begins_with, "
                               "operand type: " + t);
            break;
          }
        }
        break;
      case Condition::Kind::attribute_type: {
        std::string t = type_of(c.operands[1], true);
        if (t != "S") {
          add(function_type, "Incorrect operand type for operator or function; operator or function: attribute_type, "
                             "operand type: " + (t.empty() ? std::string("{NS,SS,L,BS,N,M,B,BOOL,NULL,S}") : t));
        } else if (c.operands[1].kind == Operand::Kind::value) {
          AttrType ignored;
          const std::string& want = c.operands[1].value.scalar;
          if (!parse_type_name(want, ignored) && errors_[attr_name].empty())
            add(function_type, "Invalid attribute type name found; type: " + want +
                                   ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
        }
        break;
      }
      default: break;
    }
    return c;
  }

  void check_paths(const std::vector<Path>& paths) {
    for (size_t j = 1; j < paths.size(); ++j)
      for (size_t i = 0; i < j; ++i) {
        const Path &a = paths[i], &b = paths[j];
        size_t k = 0;
        bool diverged = false;
        for (; k < a.size() && k < b.size(); ++k) {
          if (a[k].is_index() != b[k].is_index()) {
            add(conflict, "Two document paths conflict with each other; must remove or rewrite one of these paths; "
                          "path one: " + path_string(a) + ", path two: " + path_string(b));
            diverged = true;
            break;
          }
          if (!(a[k] == b[k])) {
            diverged = true;
            break;
          }
        }
        if (!diverged)
          add(overlap, "Two document paths overlap with each other; must remove or rewrite one of these paths; "
                       "path one: " + path_string(a) + ", path two: " + path_string(b));
      }
  }

 private:
  ExpressionContext& ctx_;
  Mode mode_;
  std::string errors_[kCatCount];
};

AwsError invalid(const std::string& label, const std::string& msg) {
  return AwsError::validation("Invalid " + label + ": " + msg);
}

std::string long_type_name(AttrType t) {
  switch (t) {
    case AttrType::S: return "STRING";
    case AttrType::N: return "NUMBER";
    case AttrType::B: return "BINARY";
    case AttrType::NUL: return "NULL";
    case AttrType::BOOL: return "BOOLEAN";
    case AttrType::L: return "LIST";
    case AttrType::M: return "MAP";
    default: return "";
  }
}
}  // namespace

std::string path_string(const Path& path) {
  std::string s = "[";
  for (size_t i = 0; i < path.size(); ++i) {
    if (i) s += ", ";
    s += path[i].is_index() ? "[" + std::to_string(path[i].index) + "]" : path[i].name;
  }
  return s + "]";
}

Result<Condition> parse_condition(std::string_view text, const std::string& label, ExpressionContext& ctx) {
  Parser p(text, Mode::condition);
  if (p.empty()) return invalid(label, "The expression can not be empty;");
  RawCondition raw;
  if (!p.condition(raw)) return invalid(label, p.syntax_error());
  Checker checker(ctx, Mode::condition);
  Condition c = checker.condition(raw);
  if (auto e = checker.first_error(); !e.empty()) return invalid(label, e);
  return c;
}

Result<UpdateExpression> parse_update(std::string_view text, ExpressionContext& ctx) {
  const std::string label = "UpdateExpression";
  Parser p(text, Mode::update);
  if (p.empty()) return invalid(label, "The expression can not be empty;");
  std::vector<RawAction> raw;
  std::string section_error;
  if (!p.update(raw, section_error)) return invalid(label, p.syntax_error());
  Checker checker(ctx, Mode::update);
  if (!section_error.empty()) checker.add(section, section_error);
  UpdateExpression u;
  std::vector<Path> paths;
  for (auto& r : raw) {
    UpdateAction a;
    a.kind = r.section == "SET" ? UpdateAction::Kind::set
             : r.section == "REMOVE" ? UpdateAction::Kind::remove
             : r.section == "ADD" ? UpdateAction::Kind::add : UpdateAction::Kind::del;
    a.path = checker.path(r.rpath);
    paths.push_back(a.path);
    if (a.kind != UpdateAction::Kind::remove) a.value = checker.operand(r.value);
    if ((a.kind == UpdateAction::Kind::add || a.kind == UpdateAction::Kind::del) &&
        a.value.kind == Operand::Kind::value) {
      AttrType t = a.value.value.type;
      bool ok = a.value.value.is_set() || (a.kind == UpdateAction::Kind::add && t == AttrType::N);
      if (!ok && ctx.values.count(r.value.text))
        checker.add(operand_type, "Incorrect operand type for operator or function; operator: " + r.section +
                                      ", operand type: " + long_type_name(t));
    }
    u.actions.push_back(std::move(a));
  }
  checker.check_paths(paths);
  if (auto e = checker.first_error(); !e.empty()) return invalid(label, e);
  return u;
}

Result<std::vector<Path>> parse_projection(std::string_view text, ExpressionContext& ctx) {
  const std::string label = "ProjectionExpression";
  Parser p(text, Mode::projection);
  if (p.empty()) return invalid(label, "The expression can not be empty;");
  std::vector<RawPath> raw;
  if (!p.projection(raw)) return invalid(label, p.syntax_error());
  Checker checker(ctx, Mode::projection);
  std::vector<Path> paths;
  for (auto& r : raw) paths.push_back(checker.path(r));
  checker.check_paths(paths);
  if (auto e = checker.first_error(); !e.empty()) return invalid(label, e);
  return paths;
}

Status check_unused(const ExpressionContext& ctx) {
  auto unused = [](const auto& all, const std::set<std::string>& used) {
    std::string keys;
    for (auto& [k, v] : all)
      if (!used.count(k)) keys += (keys.empty() ? "" : ", ") + k;
    return keys;
  };
  if (auto k = unused(ctx.names, ctx.used_names); !k.empty())
    return AwsError::validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + k + "}");
  if (auto k = unused(ctx.values, ctx.used_values); !k.empty())
    return AwsError::validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + k + "}");
  return Ok{};
}

std::vector<Path> action_paths(const UpdateExpression& update) {
  std::vector<Path> out;
  for (auto& a : update.actions) out.push_back(a.path);
  return out;
}

}  // namespace streamlab::dynamodb
