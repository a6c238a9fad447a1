#pragma once
#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

// Shared by Increase/DecreaseStreamRetentionPeriod: 24..8760 hours, moving one way only.
Action change_retention(Kinesis& k, bool increase);

}  // namespace streamlab::kinesis
