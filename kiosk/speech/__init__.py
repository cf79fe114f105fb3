"""Reading the visitor screens aloud. Kivy-free.

``screens`` makes the words of each visitor screen from the message ids it shows; ``engines`` turns words
into sound (espeak-ng, piper, Android's text-to-speech, or recorded clips first); ``speaker`` runs an engine
on a worker thread that can be stopped mid-word, so the UI thread never waits for speech.
"""
