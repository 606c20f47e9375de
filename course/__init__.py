"""The course that sits on top of the library: what the teaching notebooks import.

``course.exercises`` holds the checks the notebooks call after each exercise (one module per
topic). The course imports ``autodiff`` and ``nn``; neither of them imports the course.
"""
