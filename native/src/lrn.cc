// LRN across channels (AlexNet, GoogLeNet), forward and backward.
#include "common.h"

namespace fcn {

void initLrn(Napi::Env, Napi::Object) {}

}  // namespace fcn
