"""The host console: a web page for the people who run room sets, served at /console.

Plain HTML, CSS and JavaScript modules shipped inside the package; the page talks to
the same `/api/v1` a script would, with the key the host types in.
"""
