"""Every hint a student can see, keyed by check id and by known-mistake id, in English; the catalogue
(i18n.py) holds them in the other languages, with the same ids as contexts."""

from __future__ import annotations

from autograder.i18n import NC_
from autograder.i18n.messages import Message, in_context

GENERAL = "hint"  # the context of the hints that belong to no check

NOT_IMPLEMENTED = NC_("hint", "Replace the `raise NotImplementedError(...)` line with your code.")
MISSING = NC_("hint", "Keep the file and function names of the exercise template, and fix the error shown.")
NOT_RUN = NC_(
    "hint",
    "Fix the failure shown above (an endless loop, or an exit): "
    "this function's other checks run once it returns in time.",
)
GRADER_FAILED = NC_("hint", "This is a problem of the grader, not of your code: tell your instructor.")
RETURNED_NONE = NC_(
    "hint",
    "Your function gives back None: end it with `return` and the result "
    "(a function without a return statement returns None).",
)
NEEDS_RIGHT_ANSWER = NC_("hint", "This check counts only once the result is right: fix the check named above first.")
MISSING_FORWARD = NC_(
    "hint",
    "torch calls the method `forward`: check its spelling (def forward(self, x)) and that it sits inside the class.",
)

# Hints that rest on evidence. A hint naming a construct the student may not have written (torch.where, a sum, a
# clamp, an optimiser) is shown only when the source of the graded function's file has one of the constructs
# listed here (a name, an attribute, an imported name, a keyword argument or a number written in the code), or,
# for a known mistake, when the function's output matched that mistake and no other; among several mistakes
# whose outputs match, the one the source backs is named. Without the evidence, a check shows its symptom hint.
EPSILON_EVIDENCE = ("eps", "EPS", "epsilon", "EPSILON", *(repr(10.0**-k) for k in range(5, 17)))  # 1e-05 .. 1e-16
NAMED: dict[str, tuple[str, ...]] = {
    "sigmoid.gradient_extreme": ("where",),
    "bce.summed": ("sum", "nansum"),
    "bce.clamp_rounds_to_one": ("clamp", "clip", "clamp_", "clip_"),
    "train.adam": ("Adam", "AdamW"),
    "train.momentum": ("momentum", "nesterov"),
    "bce.epsilon_clip": EPSILON_EVIDENCE,
    "np.loss_epsilon_clip": EPSILON_EVIDENCE,
}
# named on the source alone, when no output matched
ON_SOURCE_ALONE = frozenset({"train.adam", "train.momentum", "bce.epsilon_clip", "np.loss_epsilon_clip"})
SYMPTOM = NC_(
    "hint",
    "Compare what your function returned with what was expected, shown above: "
    "the first difference points at the step to fix.",
)
SYMPTOMS: dict[str, str] = {  # a check's hint when the evidence for its own hint (NAMED) is not in the source
    "sigmoid.gradient_extreme": NC_(
        "hint",
        "The gradient is nan or wrong at large |z|: in float32, e^(-z) overflows to inf once z < -88.7 "
        "(clipping z at ±500 does not prevent it), and the backward pass then divides inf by inf. "
        "Exponentiate only -|z|, which never overflows.",
    ),
}

HINTS: dict[str, str] = {
    # Exercise 1: sigmoid
    "sigmoid.fixed_values": "sigma(z) = 1 / (1 + e^(-z)): sigma(0) = 0.5 and sigma(-z) = 1 - sigma(z).",
    "sigmoid.random_float32": "Apply the formula elementwise with torch operations, for any shape.",
    "sigmoid.random_float64": (
        "Compute in the input's dtype: do not convert to float32 or build a new tensor with torch.tensor(...)."
    ),
    "sigmoid.shape_dtype": (
        "Return a tensor of the same shape and dtype as z, for float32 and float64 alike: "
        "torch operations on z keep both."
    ),
    "sigmoid.extreme_float32": (
        "For very negative or positive z, e^z or e^(-z) overflows to inf and inf / inf is nan: "
        "only ever exponentiate -|z|."
    ),
    "sigmoid.extreme_float64": (
        "Only ever exponentiate -|z| (at most 0), so nothing overflows even in float64 at z = 1e300."
    ),
    "sigmoid.gradient": (
        "Build the result from differentiable torch operations on z (no .item(), .numpy() or torch.tensor(...))."
    ),
    "sigmoid.gradient_extreme": (
        "torch.where computes the gradient of both branches: "
        "make both branches finite for every z by exponentiating only -|z|."
    ),
    "sigmoid.gradcheck": (
        "The autograd gradient must equal sigma(z) * (1 - sigma(z)); use differentiable torch operations only."
    ),
    "sigmoid.input_unchanged": (
        "Operations ending in an underscore (z.neg_(), z.exp_()) and z[...] = ... change z itself: "
        "use z.neg(), torch.exp(z)."
    ),
    "sigmoid.own_code": (
        "Write the formula with torch.exp and arithmetic; do not call torch.sigmoid, expit, F.sigmoid or nn.Sigmoid."
    ),
    "sigmoid.sign_flipped": "Your output is sigma(-z): the exponent is e^(-z), with a minus sign.",
    "sigmoid.tanh_unscaled": "0.5 * (1 + tanh(z)) is sigma(2z): the tanh form is 0.5 * (1 + tanh(z / 2)).",
    "sigmoid.naive_overflow": (
        "1 / (1 + e^(-z)) is right in value, but for z = -1e4 e^(-z) overflows and its gradient is inf / inf = nan: "
        "use e^(-|z|)."
    ),
    "sigmoid.exp_ratio_overflow": (
        "e^z / (1 + e^z) is inf / inf = nan for large z: "
        "use e^z / (1 + e^z) only where z < 0, and 1 / (1 + e^(-z)) elsewhere."
    ),
    "sigmoid.float32_only": (
        "Your result is computed in float32: keep the input's dtype "
        "(no .float(), no torch.tensor(..., dtype=torch.float32))."
    ),
    # Exercise 2: bce_loss
    "bce.fixed_values": "loss = -(y log p + (1 - y) log(1 - p)) for each element, then the mean over all of them.",
    "bce.random_float32": "Take the mean over all elements (.mean()), with a minus sign in front.",
    "bce.soft_labels_float64": (
        "The same formula works for any label y in [0, 1]: do not round y, and keep the input's dtype."
    ),
    "bce.zero_dim": (
        "Return the 0-dim tensor that .mean() gives: not a Python float (.item()) and not a tensor of shape (1,)."
    ),
    "bce.extreme_probabilities": (
        "log(0) is -inf and 0 * -inf is nan: clamp each log at -100, torch.clamp(torch.log(p), min=-100)."
    ),
    "bce.extreme_probabilities_float64": (
        "At p = 0 or 1 in float64 too, each log is clamped at -100, torch.clamp(torch.log(p), min=-100): "
        "an epsilon or a clip of p gives another loss there, and an unclamped log(0) gives inf or nan."
    ),
    "bce.gradient": (
        "Build the loss from differentiable torch operations on p; the gradient of the mean is (p - y) / (p (1 - p) N)."
    ),
    "bce.gradcheck": "Use differentiable torch operations only, in the inputs' dtype.",
    "bce.shape_mismatch": (
        "Compare y_pred.shape with y_true.shape first and raise ValueError('... shape ...') when they differ."
    ),
    "bce.input_unchanged": (
        "Do not change y_pred or y_true in place (no clamp_(), log_() or item assignment): compute new tensors."
    ),
    "bce.own_code": (
        "Write the formula with torch.log, torch.clamp and .mean(); do not call F.binary_cross_entropy or nn.BCELoss."
    ),
    "bce.summed": (
        "Your loss is the sum over the batch: the mini-batch loss is the mean, "
        "so its size does not change the learning rate."
    ),
    "bce.sign_flipped": (
        "Your loss is negative: log p is at most 0, so the loss needs a minus sign in front to be at least 0."
    ),
    "bce.swapped": (
        "y and p are swapped: the log is taken of the prediction p, and the label y weighs it: "
        "-(y log p + (1 - y) log(1 - p))."
    ),
    "bce.missing_term": "The (1 - y) log(1 - p) term is missing: without it, examples with label 0 cost nothing.",
    "bce.unclamped": (
        "At p = 0 or 1 a log is -inf: clamp each log at -100 (torch.clamp(torch.log(p), min=-100)), as nn.BCELoss does."
    ),
    "bce.epsilon_clip": (
        "An epsilon (p clipped to [eps, 1 - eps], or log(p + eps)) caps each log term at log(eps), about -16 for "
        "eps = 1e-7, where -100 is expected at p = 0 or 1: clamp the log at -100 instead, as nn.BCELoss does."
    ),
    "sigmoid.abs_kink": (
        "At z = 0 your gradient is 0, not 0.25: torch.abs has gradient 0 at its kink. Choose the exponent with "
        "torch.where instead: torch.exp(torch.where(z >= 0, -z, z)) is e^(-|z|) with the right gradient everywhere."
    ),
    "bce.unreduced": (
        "Your loss has one value per element: reduce it to the mean over all elements with .mean(), "
        "a 0-dim tensor (nn.BCELoss's default, reduction='mean')."
    ),
    "bce.clamp_rounds_to_one": (
        "In float32, 1 - 1e-15 rounds to exactly 1.0, so clamping p to [eps, 1 - eps] leaves p = 1 and log(1 - p) "
        "is -inf: clamp each log at -100 instead (torch.clamp(torch.log(1 - p), min=-100))."
    ),
    "bce.broadcast": (
        "(N, 1) against (N,) broadcasts to an (N, N) matrix and gives a wrong loss silently: "
        "raise ValueError when shapes differ."
    ),
    # Exercise 3: LogisticRegression
    "model.linear_layer": (
        "In __init__, call super().__init__() and create exactly one layer: "
        "self.linear = torch.nn.Linear(in_features, 1)."
    ),
    "model.default_in_features": "Keep the default of the template: __init__(self, in_features: int = 1).",
    "model.toy_forward": "forward(x) is sigmoid(self.linear(x)): the probability of passing after x hours of study.",
    "model.forward_values": "forward(x) returns sigmoid(self.linear(x)), of shape (N, 1).",
    "model.output_form": (
        "forward(x) returns the tensor sigmoid(self.linear(x)) as it is: float32, of shape (N, 1), "
        "with no squeeze, view(-1) or conversion."
    ),
    "model.uses_own_sigmoid": (
        "Import and call your own sigmoid (from ex1_sigmoid import sigmoid), not torch.sigmoid or nn.Sigmoid."
    ),
    "model.gradient": (
        "Compute the output from self.linear(x) with torch operations only, "
        "so autograd reaches the weight and the bias."
    ),
    "model.gradcheck": (
        "Use only differentiable torch operations in forward, with no fixed dtype: the model must work in float64 too."
    ),
    "model.no_sigmoid": (
        "forward returns the raw score self.linear(x): pass it through sigmoid to get a probability in (0, 1)."
    ),
    "model.flattened": "forward returns shape (N,): keep the (N, 1) shape of self.linear(x) (no squeeze or view(-1)).",
    # Exercise 4: train
    "train.returns_history": "Return a list with one Python float per epoch: append loss.item() (not the loss tensor).",
    "train.full_batch_trajectory": (
        "Each epoch: loss = bce_loss(model(x), y); optimizer.zero_grad(); loss.backward(); optimizer.step(); "
        "record loss.item()."
    ),
    "train.final_weights": "Use torch.optim.SGD(model.parameters(), lr=lr) and take exactly one step per mini-batch.",
    "train.contract": (
        "Compute the loss with your bce_loss from exercise 2 (from ex2_bce_loss import bce_loss), "
        "and do not change x or y in place."
    ),
    "train.epoch_mean_loss": (
        "Record each epoch's mean loss over the examples: "
        "add loss.item() * len(xb) for every batch, then divide by len(x)."
    ),
    "train.minibatch_steps": (
        "With batch_size set, loop over DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True): "
        "one step per batch."
    ),
    "train.minibatch_shuffled": "Pass shuffle=True to the DataLoader so every epoch sees the examples in a new order.",
    "train.digits_accuracy": (
        "Check the loop on the toy set first; on the digits, the same loop must take the same steps and learn 7 vs 9."
    ),
    "train.digits_loss_falls": (
        "The loss must go down: check the sign of the update (optimizer.step() after loss.backward()) and zero_grad."
    ),
    "train.no_zero_grad": (
        "The gradients add up from step to step: call optimizer.zero_grad() before loss.backward() in every step."
    ),
    "train.no_step": (
        "The weights never change: call optimizer.step() after loss.backward() "
        "(and zero_grad before backward, not between them)."
    ),
    "train.ignores_lr": "The learning rate argument is ignored: pass lr=lr to torch.optim.SGD.",
    "train.ignores_batch_size": (
        "batch_size is ignored: with a batch_size, take one step per mini-batch of that size, not one per epoch."
    ),
    "train.no_shuffle": "The mini-batches come in the same order every epoch: use DataLoader(..., shuffle=True).",
    "train.batch_means_averaged": (
        "Averaging the batch losses weighs a short last batch as much as a full one: "
        "add loss.item() * len(xb), then divide by len(x)."
    ),
    "train.batch_means_summed": (
        "The sum of the batch losses grows with the number of batches: weigh each by len(xb) and divide by len(x)."
    ),
    "train.last_batch_loss": (
        "You record only the last batch's loss: add up loss.item() * len(xb) over all batches of the epoch, "
        "then divide by len(x)."
    ),
    "train.adam": (
        "You use torch.optim.Adam, whose steps are not w - lr * grad: "
        "the task asks for plain torch.optim.SGD(model.parameters(), lr=lr)."
    ),
    "train.momentum": (
        "Your SGD has momentum, so each step carries part of the previous ones: "
        "the task asks for plain torch.optim.SGD(model.parameters(), lr=lr), with no momentum."
    ),
    "train.tensor_history": (
        "The history holds tensors, which keep their autograd graphs alive: append loss.item() instead."
    ),
    # Exercise 5: predict, accuracy, decision_boundary
    "predict.default_threshold": "Label 1 where the model's probability model(x) is at least the threshold, else 0.",
    "predict.custom_threshold": "Compare the probabilities with the threshold argument, not with a fixed 0.5.",
    "predict.float_labels": (
        "Return float 0./1. labels of the model output's shape, "
        "computed under torch.no_grad() (e.g. (p >= threshold).float())."
    ),
    "accuracy.values": "The accuracy is the fraction of equal labels: (labels == y_true).float().mean().item().",
    "accuracy.python_float": "Return a Python float: call .item() on the 0-dim tensor.",
    "boundary.values": (
        "p = 0.5 where w x + b = 0, so x = -b / w; read w and b from model.linear.weight and model.linear.bias."
    ),
    "boundary.python_float": (
        "Return a Python float: read the numbers with .item() (model.linear.weight.item()), not as tensors."
    ),
    "predict.threshold_ignored": "The threshold argument is ignored: compare with threshold, whose default is 0.5.",
    "predict.score_threshold": (
        "You thresholded the raw score self.linear(x): threshold the probability model(x) instead."
    ),
    "predict.threshold_not_half": (
        "Your labels cut the probabilities somewhere other than 0.5: "
        "the default threshold is 0.5, and p >= threshold gives 1."
    ),
    "predict.bool_labels": "The labels are booleans: convert them with .float() to 0./1.",
    "predict.wrong_shape": (
        "Your labels are right but not of the model output's shape (N, 1): "
        "drop the view(-1), squeeze() or flatten() and return (p >= threshold).float()."
    ),
    "accuracy.count": (
        "That is the number of correct labels: divide by the number of labels to get a fraction in [0, 1]."
    ),
    "accuracy.broadcast": (
        "Comparing shapes (N,) and (N, 1) broadcasts to (N, N): compare labels and y_true in the same shape."
    ),
    "accuracy.tensor": "The accuracy is a tensor: return a Python float with .item().",
    "boundary.sign": "The sign is flipped: w x + b = 0 gives x = -b / w.",
    "boundary.tensor": (
        "The boundary is a tensor: compute it from model.linear.weight.item() and "
        "model.linear.bias.item() to get a float."
    ),
    "boundary.inverted": "w x + b = 0 gives x = -b / w, not -w / b.",
    # Exercise 6: NumPy from scratch
    "np.sigmoid_values": "sigma(z) = 1 / (1 + e^(-z)), elementwise with np.exp.",
    "np.sigmoid_extremes": (
        "Only ever exponentiate -|z|: np.exp(-np.abs(z)), then np.where(z >= 0, 1 / (1 + e), e / (1 + e))."
    ),
    "np.sigmoid_extremes_float32": (
        "In float32, exp overflows past |z| = 88, not 709: a clip at ±500 is not enough. Only ever exponentiate "
        "-|z|: np.exp(-np.abs(z)), then np.where(z >= 0, 1 / (1 + e), e / (1 + e))."
    ),
    "np.sigmoid_dtype": (
        "Return an np.ndarray of z's shape and dtype: NumPy keeps float32 when you only mix it with Python numbers."
    ),
    "np.loss_values": "loss = -mean(y log p + (1 - y) log(1 - p)), returned as a float.",
    "np.loss_float": (
        "Return the loss as a Python float: float(...) around the mean (np.float64 is one), not an array, "
        "a 0-dim array or an np.float32."
    ),
    "np.loss_extremes": "Clamp each log at -100: np.maximum(np.log(p), -100), inside np.errstate(divide='ignore').",
    "np.loss_extremes_float32": (
        "In float32 too, clamp each log, not p: np.maximum(np.log(p), -100) (e^-100 is not representable in "
        "float32, and 1 - 1e-15 rounds to 1.0)."
    ),
    "np.grad_values": "With e = sigmoid(X w + b) - y: dw = X.T @ e / N and db = mean(e).",
    "np.grad_finite_differences": (
        "Your gradient disagrees with the slope of your loss: dL/dw = X^T (p - y) / N and dL/db = mean(p - y)."
    ),
    "np.grad_shapes": "Return a tuple (dw, db): dw of shape (D,) like w, and db a float.",
    "np.fit_history": "Start from w = 0, b = 0; each epoch record the loss, then w -= lr * dw and b -= lr * db.",
    "np.fit_returns": "Return the tuple (w, b, history): w of shape (D,), b a float, history one float per epoch.",
    "np.fit_digits_accuracy": "Check fit_np on the toy set first; then the same loop must learn 7 vs 9.",
    "np.inputs_unchanged": (
        "Do not change w, X or y in place (no -=, +=, or item assignment on the inputs): compute new arrays."
    ),
    "np.sigmoid_sign_flipped": "Your output is sigma(-z): the exponent is e^(-z), with a minus sign.",
    "np.sigmoid_overflow": "np.exp(-z) overflows for z = -1000 (NumPy warns): exponentiate only -|z|.",
    "np.sigmoid_exp_ratio": "e^z / (1 + e^z) is inf / inf = nan for large z: exponentiate only -|z|.",
    "np.loss_summed": "That is the sum over the examples: the loss is their mean.",
    "np.loss_sign_flipped": (
        "Your loss is negative: put a minus sign in front of the mean of y log p + (1 - y) log(1 - p)."
    ),
    "np.loss_swapped": "p and y are swapped: take the log of the prediction p, weighted by the label y.",
    "np.loss_unclamped": "log(0) is -inf: clamp each log at -100 with np.maximum(np.log(p), -100).",
    "np.loss_epsilon_clip": (
        "An epsilon (np.clip(p, eps, 1 - eps), or np.log(p + eps)) caps each log term at log(eps), about -16 for "
        "eps = 1e-7, where -100 is expected at p = 0 or 1: clamp the log at -100 instead."
    ),
    "np.grad_missing_mean": (
        "Your gradient is N times too large: the loss is a mean, so divide X.T @ (p - y) and sum(p - y) by N."
    ),
    "np.grad_sign_flipped": "The sign is flipped: the gradient is X^T (p - y) / N, prediction minus label.",
    "np.fit_ascent": (
        "The loss goes up: gradient descent steps against the gradient, w = w - lr * dw with dw = X^T (p - y) / N; "
        "check the sign of both."
    ),
    "np.fit_history_after_step": (
        "Record the loss before the update of each epoch, so history[0] is the loss at w = 0, b = 0."
    ),
}


def general(hint: str) -> Message:
    """One of the general hints above, as a message in its context."""
    return in_context(GENERAL, hint)


def hint_for(check_id: str, mistake_id: str | None = None) -> Message:
    """The hint for a matched mistake, else the check's own hint, as a message in that id's context."""
    key = mistake_id or check_id
    return in_context(key, HINTS[key])
