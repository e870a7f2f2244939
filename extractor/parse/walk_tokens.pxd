import cython
cdef class _Walker:
    cdef public object doc
    cdef public str text
    cdef public list tokens
    cdef public Py_ssize_t i, pos, start
    cdef public list prose_ranges, prose
    cdef public object more
    cdef public dict names

    @cython.locals(count=Py_ssize_t, i=Py_ssize_t, pos=Py_ssize_t, end=Py_ssize_t, keep=bint, ranges=list, tokens=list)
    cpdef object sequence(self, tuple ends, bint prose, object ref, bint nested, bint rec)
    cpdef node(self, object token, object kind, bint prose, object ref, bint nested, bint rec)
    cpdef tuple _marks(self)
    cpdef _rollback(self, tuple marks)
    @cython.locals(start=Py_ssize_t, slot=Py_ssize_t, name_start=Py_ssize_t, default=Py_ssize_t, key_start=Py_ssize_t, value_start=Py_ssize_t, i=Py_ssize_t, lead=Py_ssize_t, named=bint, tokens=list, names=dict, params=list, raw=str, stripped=str, key=str, name=str)
    cpdef template(self, object ref, bint nested, bint rec)
    @cython.locals(start=Py_ssize_t, slot=Py_ssize_t, piped=bint, walk_text=bint, title=str)
    cpdef wikilink(self, bint prose, object ref, bint nested, bint rec)
    cpdef external_link(self, object token, bint prose, object ref, bint nested, bint rec)
    @cython.locals(tokens=list)
    cpdef entity(self)
    cpdef heading(self, object token, bint prose, object ref, bint nested, bint rec)
    @cython.locals(start=Py_ssize_t, name_start=Py_ssize_t, content_start=Py_ssize_t, content_end=Py_ssize_t, is_ref=bint, walk=bint, before=Py_ssize_t, mark=Py_ssize_t)
    cpdef tag(self, object token, bint prose, object ref, bint nested, bint rec)
    cpdef str _tag_name(self)
    cpdef attribute(self, object start, dict attributes, object ref, bint nested)
    cpdef Py_ssize_t _add_ref(self, dict attributes, Py_ssize_t start, Py_ssize_t length, bint self_closing)
