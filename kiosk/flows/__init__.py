"""Handling modes as plain step machines (即时办, 承诺办, 预约办, 延时办, 自助办).

A step machine takes an intent and returns a transition: the next step, field errors,
or an abort reason. No Kivy, no I/O: screens render the current step and forward the
citizen's intent; effects (printing, submitting) run outside and report back as intents.
"""
