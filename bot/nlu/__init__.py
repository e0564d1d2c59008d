"""Understanding messages: the Rasa model, its tokenizer, training, and language identification.

Rasa is imported lazily so that commands which do not parse (e.g. `waspada nlu train` when the
model is already up to date) stay fast.
"""
