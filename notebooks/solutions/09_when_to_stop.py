# %% [markdown]
# Solutions to notebook 09, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong
# (tests/test_notebooks.py runs both). See notebooks/README.md.

# %% solution="9.1"
def stop_epoch(val_losses, patience):
    """(best epoch, stop epoch) of the patience rule on one validation curve."""
    best, best_epoch, waited = None, None, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if best is None or loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
        if waited >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses)

# %% wrong="9.1"
def stop_epoch(val_losses, patience):
    """The global minimum: the mistake of looking at epochs that never ran."""
    best_epoch = 1 + val_losses.index(min(val_losses))
    return best_epoch, min(best_epoch + patience, len(val_losses))

# %% solution="9.2"
best, best_epoch, waited = None, None, 0
for epoch, loss in enumerate(full.val_loss, start=1):
    if best is None or loss < best:
        best, best_epoch, waited = loss, epoch, 0
    else:
        waited += 1
    if waited >= 20:
        break
my_prediction = (best_epoch, epoch)

# %% wrong="9.2"
my_best = 1 + full.val_loss.index(min(full.val_loss))   # the lowest point of the whole curve
my_prediction = (my_best, my_best + 20)
