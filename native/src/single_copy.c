/*
 * One copy of the shim per process. Each class loader that loads jivykis extracts and loads
 * its own copy of this library, and each copy would keep its own signal table and its own
 * saved "previous" dispositions: the copies would take signals from each other, and one
 * could "restore" a handler that points into a copy already unloaded with its class loader,
 * which crashes the JVM at the next signal. So a second copy refuses to load.
 *
 * How a copy finds another: every copy exports the marker below (the one exported symbol of
 * the shim that is not the C post API). At load, every object the dynamic linker has mapped
 * is looked up for the marker; one found at another address than our own is another copy,
 * whatever its file name (an extracted temporary file, already deleted, or a shaded copy
 * under another name). An unloaded copy is no longer mapped, so a class loader that was
 * collected with its copy leaves the way free for a new one.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

/* The marker every copy exports; its value names it for anyone reading a core dump. */
__attribute__((visibility("default"))) const char jivykis_shim_copy_marker[] = "jivykis JNI shim";

struct object_names {
	char **names;
	size_t count;
	size_t capacity;
};

/* Collects the names of mapped objects; dlopen is not called under dl_iterate_phdr's lock. */
static int collect(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	struct object_names *list = data;
	if (info->dlpi_name == NULL || info->dlpi_name[0] == '\0')
		return 0; /* the executable itself, or the vDSO */
	if (list->count == list->capacity) {
		size_t capacity = list->capacity == 0 ? 64 : list->capacity * 2;
		char **grown = realloc(list->names, capacity * sizeof(*grown));
		if (grown == NULL)
			return 1;
		list->names = grown;
		list->capacity = capacity;
	}
	char *copy = strdup(info->dlpi_name);
	if (copy == NULL)
		return 1;
	list->names[list->count++] = copy;
	return 0;
}

int jivykis_find_other_copy(char *where, size_t size)
{
	struct object_names list = { 0 };
	dl_iterate_phdr(collect, &list);
	int found = 0;
	for (size_t i = 0; i < list.count; i++) {
		/* RTLD_NOLOAD: only an object already mapped, matched by the name it was loaded
		 * under, so a deleted file is found too; nothing new is ever loaded here. */
		void *handle = found ? NULL : dlopen(list.names[i], RTLD_LAZY | RTLD_NOLOAD);
		if (handle != NULL) {
			const void *marker = dlsym(handle, "jivykis_shim_copy_marker");
			if (marker != NULL && marker != (const void *)jivykis_shim_copy_marker) {
				snprintf(where, size, "%s", list.names[i]);
				found = 1;
			}
			dlclose(handle);
		}
		free(list.names[i]);
	}
	free(list.names);
	return found;
}
