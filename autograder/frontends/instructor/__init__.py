"""frontends/instructor"""
