"""frontends/instructor/nbgrader"""
