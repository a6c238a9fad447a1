#pragma once
// The legacy (pre-expression) parameters AWS still accepts, rewritten into the expression
// parameters they stand for, so that one engine checks and evaluates both:
//   Expected (+ ConditionalOperator)                 -> ConditionExpression
//   AttributeUpdates                                  -> UpdateExpression
//   KeyConditions                                     -> KeyConditionExpression
//   QueryFilter / ScanFilter (+ ConditionalOperator)  -> FilterExpression
// Attribute names and values move to ExpressionAttributeNames/Values under #legacyN and :legacyN;
// no client placeholder can collide with them, since AWS refuses legacy and expression
// parameters in one request.
#include <initializer_list>

#include "server/core/action.h"

namespace streamlab::dynamodb {

Shape expected_shape();           // attribute -> {Value, Exists, ComparisonOperator, AttributeValueList}
Shape attribute_updates_shape();  // attribute -> {Value, Action}
Shape conditions_shape();         // attribute -> {AttributeValueList, ComparisonOperator}

// Checks AWS's rules for the legacy members present (never mixed with `expression_members`,
// argument counts and types per ComparisonOperator, Exists with Value, …) and rewrites them in
// place. Members are named in AWS's order, for the "Can not use both …" message.
Status rewrite_legacy(json& in, std::initializer_list<const char*> legacy_members,
                      std::initializer_list<const char*> expression_members);

}  // namespace streamlab::dynamodb
