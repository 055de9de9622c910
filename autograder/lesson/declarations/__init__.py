"""lesson/declarations"""
